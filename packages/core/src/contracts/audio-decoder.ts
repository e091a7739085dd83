import type { PluginBase } from './plugin';

/** Decoded audio: one Float32Array per channel, all the same length, at `sampleRate`. */
export interface DecodedAudio {
  channelData: Float32Array[];
  sampleRate: number;
}

/** What a decode call knows besides the bytes. */
export interface DecodeContext {
  /** The file's path, for error messages (and a hint when the content matches no format). */
  path: string;
  /**
   * `'mono'`: the caller only needs the mean of the channels. A decoder MAY then return a single
   * channel, which must equal `downmix()` of its channels bit for bit; a decoder that ignores the
   * hint still works, because the caller downmixes whatever it gets.
   */
  channels?: 'mono';
  /**
   * With `channels: 'mono'`, a decoder MAY write its one channel into `output(frames)` (a buffer the
   * caller reuses from file to file, `frames` values long, contents undefined) instead of a new array.
   * The caller owns it: the returned channel is only valid until the caller's next decode.
   */
  output?(frames: number): Float32Array;
  /**
   * For `stream`: decode only the audio of the bytes `[start, end)`, one of the ranges `pieces`
   * returned (the file's header is still read from its start).
   */
  range?: ByteRange;
}

/** Bytes `[start, end)` of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * One file's bytes, read in pieces: what a streaming decoder pulls from (core makes it from an
 * `AudioSource`, with `readRange` when the source has it).
 */
export interface ByteInput {
  /** The file's size in bytes. */
  readonly size: number;
  /** Bytes per `read` the caller prefers (bounds a decoder's memory); decoders choose when absent. */
  readonly readSize?: number;
  /**
   * Up to `length` bytes from `offset` (fewer only at the end of the file). The bytes are borrowed:
   * valid until the next `read`.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * Turns encoded bytes into PCM. Implementations must not shift or stretch the signal in time
 * (e.g. MP3 encoder delay and padding are removed). Failures throw `SpgDecodeError` naming
 * `ctx.path` and the format.
 *
 * @example
 * const decoder: AudioDecoder = {
 *   kind: 'decoder', id: 'example/raw-f32', options: null,
 *   decode: async (bytes) => ({ channelData: [new Float32Array(bytes.slice().buffer)], sampleRate: 16000 }),
 * };
 */
export interface AudioDecoder extends PluginBase<'decoder'> {
  /**
   * Numerics version, bumped by hand whenever decoded values change (0 when absent). With the
   * id and options it is part of every cache key, so a fixed decoder never meets old entries.
   */
  readonly version?: number;
  decode(bytes: Uint8Array, ctx: DecodeContext): Promise<DecodedAudio>;
  /**
   * Optional: the same audio as `decode`, in consecutive blocks read from `input` piece by piece, so
   * a long recording never sits in memory whole. Every block has the same `sampleRate` and channel
   * count, and the blocks joined equal `decode`'s channels (with `channels: 'mono'`, their mean, equal
   * to `downmix()` bit for bit). Blocks are borrowed: valid until the next one is asked for. Breaking
   * out of the iteration releases the codec. `ctx.output` does not apply. Without it, the file is
   * read and decoded whole.
   */
  stream?(input: ByteInput, ctx: DecodeContext): AsyncIterable<DecodedAudio>;
  /**
   * Optional, with `stream`: cuts the file into consecutive byte ranges of about `bytes` each (the
   * first starts at 0, the last ends at `input.size`) that `stream` decodes independently (with
   * `ctx.range`), so several threads can decode one long file at once. The blocks of the ranges,
   * joined in order, equal `stream`'s blocks joined, bit for bit. `undefined` when the file cannot
   * be cut (its format has no independent frames, or no cut point was found).
   */
  pieces?(input: ByteInput, ctx: DecodeContext, bytes: number): Promise<ByteRange[] | undefined>;
}

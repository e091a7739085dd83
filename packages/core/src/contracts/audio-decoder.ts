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
}

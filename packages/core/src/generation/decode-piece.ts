import type { AudioDecoder, ByteInput, ByteRange } from '../contracts/audio-decoder';
import { MonoMixer } from '../decode/mono-mixer';

/**
 * Mono samples a decoder hands over from a piece the file's consumer has not reached yet, before it
 * waits for the consumer (bounds memory for audio that compresses extremely well, e.g. silence).
 */
export const PIECE_HOLD_SAMPLES = 1 << 21;

/**
 * Bytes per read (and so per codec call) when decoding pieces: a quarter of the default, so each
 * codec's memory and output arrays (about 4x the bytes of FLAC, per channel) stay small, as a codec
 * is started for every piece.
 */
export const PIECE_READ_BYTES = 2 ** 17;

/** Bytes of a file's start kept by `headCached` (what a decoder reads of its header, every piece). */
const HEAD_BYTES = 1 << 16;

/**
 * `input` with its first bytes read once: every piece's decode reads the file's header again, and a
 * read away from where the previous one ended also costs the read-ahead of a source input.
 */
export function headCached(input: ByteInput, readSize = PIECE_READ_BYTES): ByteInput {
  let head: Uint8Array | undefined;
  return {
    size: input.size,
    readSize,
    async read(offset, length) {
      if (offset === 0 && length <= HEAD_BYTES) {
        head ??= (await input.read(0, Math.min(input.size, HEAD_BYTES))).slice();
        return head.subarray(0, Math.min(length, head.length));
      }
      return input.read(offset, length);
    },
  };
}

/** Where one piece's decoded mono blocks go, in order. */
export interface PieceSink {
  /** Takes a block (owned by the sink from now on). */
  block(mono: Float32Array, sampleRate: number): void;
  /** Resolves once the consumer has reached this piece (the decoder may hand over more then). */
  readonly reached: Promise<void>;
}

/** Who works on pieces: this thread (`helper: false`) or another one. */
export interface PieceWorker<R> {
  run(range: R, sink: PieceSink, signal: AbortSignal): Promise<void>;
  /** Takes back a block it handed over, once used. */
  recycle?(block: Float32Array): void;
  helper: boolean;
}

/** Free buffers a `BlockPool` keeps (about a window of pieces' blocks). */
const POOLED = 32;

/**
 * Arrays for decoded blocks, given back once the consumer is done with them and reused: a fresh
 * array per block costs page faults and garbage collections (and peak memory) worth more than
 * copying the block.
 */
export class BlockPool {
  readonly #free: ArrayBuffer[] = [];

  /** An array of `length` values (contents undefined), a view of a free buffer when one is large enough. */
  take(length: number): Float32Array {
    const at = this.#free.findIndex((buffer) => buffer.byteLength >= 4 * length);
    if (at >= 0) return new Float32Array(this.#free.splice(at, 1)[0]!, 0, length);
    // Some room: blocks of one file differ a little in length.
    return new Float32Array(new ArrayBuffer(4 * Math.ceil(length * 1.25)), 0, length);
  }

  /** Gives back an array from `take` (its whole buffer). */
  give(block: Float32Array): void {
    if (this.#free.length < POOLED) this.#free.push(block.buffer as ArrayBuffer);
  }
}

/**
 * Decodes bytes `range` of `path` (`input`) with `decoder.stream`, averaged to mono, and hands
 * copies of the blocks (arrays from `pool`) to `sink`: what a thread helping with one long file
 * runs, the same code whichever thread it is in. Stops early when `signal` aborts. Throws the
 * decoder's errors as they are.
 */
export async function decodePiece(
  decoder: AudioDecoder,
  path: string,
  input: ByteInput,
  range: ByteRange,
  sink: PieceSink,
  pool: BlockPool,
  signal?: AbortSignal,
): Promise<void> {
  let reached = false;
  void sink.reached.then(() => {
    reached = true;
  });
  const mixer = new MonoMixer();
  let handed = 0;
  for await (const block of decoder.stream!(input, { path, channels: 'mono', range })) {
    if (signal?.aborted) return;
    const mixed = mixer.mix(block.channelData);
    const mono = pool.take(mixed.length);
    mono.set(mixed);
    sink.block(mono, block.sampleRate);
    handed += mono.length;
    if (!reached && handed >= PIECE_HOLD_SAMPLES) {
      await sink.reached;
      if (signal?.aborted) return;
    }
  }
}

import { transposeInto } from '../codec/transpose';
import type { EntryWriter } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';

/** Frames per block a pass visits. */
const PASS_FRAMES = 4096;

/** Where a memory writer keeps its values (a build passes reused buffers; default: new arrays). */
export interface MemoryEntryBuffers {
  /** A frame-major buffer of at least `values` values whose first `keep` values are kept. */
  frames(values: number, keep: number): Float32Array;
  /** A buffer of at least `values` values for the mel-major tensor. */
  output(values: number): Float32Array;
}

const freshBuffers = (): MemoryEntryBuffers => {
  let frames = new Float32Array(0);
  return {
    frames(values, keep) {
      if (frames.length < values) {
        const grown = new Float32Array(Math.max(values, Math.ceil(frames.length * 1.5)));
        grown.set(frames.subarray(0, keep));
        frames = grown;
      }
      return frames;
    },
    output: (values) => new Float32Array(values),
  };
};

/**
 * An `EntryWriter` that keeps the frames in memory and hands the entry to `onCommit` as a mel-major
 * `[rows, frames]` tensor: how generation writes to a cache without `writer` (then `put`), and how
 * `makeSpectrogram` gets its tensor. The whole entry is in memory, as a whole-tensor `put` needs.
 */
export class MemoryEntryWriter implements EntryWriter {
  readonly rows: number;
  readonly #onCommit: (tensor: Tensor) => unknown;
  readonly #buffers: MemoryEntryBuffers;
  #values: Float32Array = new Float32Array(0);
  #frames = 0;
  #closed = false;

  constructor(
    rows: number,
    onCommit: (tensor: Tensor) => unknown,
    buffers: MemoryEntryBuffers = freshBuffers(),
  ) {
    this.rows = rows;
    this.#onCommit = onCommit;
    this.#buffers = buffers;
  }

  get frames(): number {
    return this.#frames;
  }

  async append(values: Float32Array): Promise<void> {
    this.appendSync(values);
  }

  /** `append` without a promise. */
  appendSync(values: Float32Array): void {
    const used = this.#frames * this.rows;
    this.#values = this.#buffers.frames(used + values.length, used);
    this.#values.set(values, used);
    this.#frames += values.length / this.rows;
  }

  async pass(visit: (block: Float32Array, first: number) => void, _rewrite: boolean): Promise<void> {
    const { rows } = this;
    for (let first = 0; first < this.#frames; first += PASS_FRAMES) {
      const end = Math.min(this.#frames, first + PASS_FRAMES);
      visit(this.#values.subarray(first * rows, end * rows), first);
    }
  }

  /** The entry as a mel-major tensor (in the buffers' `output`). */
  tensor(): Tensor {
    const { rows } = this;
    const count = rows * this.#frames;
    const data = this.#buffers.output(count).subarray(0, count);
    transposeInto(this.#values.subarray(0, count), this.#frames, rows, data);
    return { data, shape: [rows, this.#frames] };
  }

  async commit(): Promise<boolean> {
    if (this.#closed) throw new Error('MemoryEntryWriter: commit() after commit() or abort()');
    this.#closed = true;
    return (await this.#onCommit(this.tensor())) !== false;
  }

  async abort(): Promise<void> {
    this.#closed = true;
  }
}

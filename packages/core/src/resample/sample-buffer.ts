/**
 * A growable float64 window onto an infinite signal: holds the samples at indices
 * [start, start + length). Appends at the end; drops from the front once those samples are no
 * longer needed, so a stream keeps memory bounded by its filters' reach plus one chunk.
 */
export class SampleBuffer {
  data: Float64Array;
  start: number;
  length = 0;

  constructor(start: number, capacity = 1024) {
    this.start = start;
    this.data = new Float64Array(capacity);
  }

  /** One past the last index held. */
  get end(): number {
    return this.start + this.length;
  }

  /** Makes room for `count` more samples; returns the offset in `data` to write them at. */
  reserve(count: number): number {
    const needed = this.length + count;
    if (needed > this.data.length) {
      const grown = new Float64Array(Math.max(needed, 2 * this.data.length));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    return this.length;
  }

  /** Counts `count` samples written at `reserve`'s offset. */
  commit(count: number): void {
    this.length += count;
  }

  append(samples: Float32Array | Float64Array): void {
    const at = this.reserve(samples.length); // may reallocate data
    this.data.set(samples, at);
    this.commit(samples.length);
  }

  appendZeros(count: number): void {
    if (count <= 0) return;
    const at = this.reserve(count);
    this.data.fill(0, at, at + count);
    this.commit(count);
  }

  /** Forgets the samples before `index` (moves the rest down when that frees at least half). */
  dropBefore(index: number): void {
    const drop = Math.min(index - this.start, this.length);
    if (drop <= 0 || 2 * drop < this.length) return;
    this.data.copyWithin(0, drop, this.length);
    this.start += drop;
    this.length -= drop;
  }
}

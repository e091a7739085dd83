/**
 * The channel arrays one decoder reuses from stream to stream. Why: a fresh output array per file
 * is external memory V8 counts towards its next full collection (a mark-compact every few files in
 * a build) and fresh pages the kernel must fault in. One set is kept at a time; a stream that runs
 * while another holds it gets fresh arrays, so concurrent streams never share memory.
 */
export class SpareChannels {
  #free: Float32Array[] | undefined;

  /** `count` arrays of at least `length` values (contents undefined), the kept set when it fits. */
  take(count: number, length: number): Float32Array[] {
    const free = this.#free;
    this.#free = undefined;
    if (free && free.length === count && free[0]!.length >= length) return free;
    return Array.from({ length: count }, () => new Float32Array(length));
  }

  /** Gives back arrays from `take` once their stream is done with them. */
  give(arrays: Float32Array[]): void {
    const kept = this.#free;
    if (!kept || kept[0]!.length * kept.length <= arrays[0]!.length * arrays.length) this.#free = arrays;
  }
}

/** Largest shared buffer the allocator makes, in bytes. */
export const HALF_SLAB_BYTES = 8 * 2 ** 20;

/**
 * Uint16 arrays carved out of a few large shared buffers instead of one allocation each.
 *
 * Why: filling a float16 memory cache reads each entry as a transient float32 array and keeps a
 * half-size copy. Allocated one by one, the kept copies end up between the transients' freed
 * blocks in the C heap, which the allocator cannot hand back to the system: the process then
 * holds ~40% more than the cache's budget (measured in the cache-fs bench). Kept copies in large
 * buffers leave the transients' blocks free to be reused and returned.
 *
 * A buffer lives as long as any array carved from it; a dropped entry's space is not reused.
 * `limit` caps each new buffer, so a small cache never reserves more than its remaining budget.
 */
export class HalfSlabs {
  #buffer: ArrayBuffer | undefined;
  #used = 0;

  /** A zeroed Uint16Array of `length` values; `limitBytes` caps a new buffer's size. */
  allocate(length: number, limitBytes: number): Uint16Array<ArrayBuffer> {
    const bytes = length * 2;
    if (this.#buffer === undefined || this.#used + bytes > this.#buffer.byteLength) {
      const size = Math.max(bytes, Math.min(HALF_SLAB_BYTES, limitBytes));
      // An entry that fills a buffer on its own gets it alone; the current buffer stays open.
      if (size === bytes && this.#buffer !== undefined) return new Uint16Array(length);
      this.#buffer = new ArrayBuffer(size);
      this.#used = 0;
    }
    const array = new Uint16Array(this.#buffer, this.#used, length);
    this.#used += bytes;
    return array;
  }

  /** Forgets the current buffer (it is freed once no array from it is left). */
  reset(): void {
    this.#buffer = undefined;
    this.#used = 0;
  }
}

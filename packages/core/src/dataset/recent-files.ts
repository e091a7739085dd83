import { LruMap } from './lru-map';

/**
 * What a dataset keeps of its last few files (decoded waveforms, whole-file spectrograms), plus
 * the loads in flight, so consecutive items of one file and concurrent requests load it once.
 */
export class RecentFiles<T> {
  readonly #recent: LruMap<number, T>;
  readonly #pending = new Map<number, Promise<T>>();

  constructor(capacity: number) {
    this.#recent = new LruMap(capacity);
  }

  /** File `fi`'s value if it is kept (no loading, no promise). */
  peek(fi: number): T | undefined {
    return this.#recent.get(fi);
  }

  /** File `fi`'s value: kept, in flight, or loaded now with `load`. */
  async get(fi: number, load: (fi: number) => Promise<T>): Promise<T> {
    const recent = this.#recent.get(fi);
    if (recent !== undefined) return recent;
    let pending = this.#pending.get(fi);
    if (!pending) {
      pending = load(fi)
        .then((value) => {
          this.#recent.set(fi, value);
          return value;
        })
        .finally(() => this.#pending.delete(fi));
      this.#pending.set(fi, pending);
    }
    return pending;
  }

  clear(): void {
    this.#recent.clear();
  }
}

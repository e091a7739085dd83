import type { CacheKey } from '../cache/cache-key';
import type { PluginBase } from './plugin';
import type { Tensor } from './tensor';

/**
 * Stores spectrograms by `CacheKey` (made only by `cacheKey()`). `get` returns exactly what was
 * `put` (bit-exact for float32 storage), or `undefined` for a missing key. A damaged entry is
 * reported as `SpgCacheError`, never returned. Run `describeSpectrogramCache` from
 * `@spgdataset/core/testing` on any implementation.
 *
 * @example
 * const map = new Map<string, Tensor>();
 * const cache: SpectrogramCache = {
 *   kind: 'cache', id: 'example/map', options: null,
 *   get: async (k) => map.get(k.id), put: async (k, t) => void map.set(k.id, t),
 *   has: async (k) => map.has(k.id), delete: async (k) => map.delete(k.id),
 *   keys: async function* () { ... }, byteSize: async () => [...map.values()].reduce((n, t) => n + t.data.byteLength, 0),
 * };
 */
export interface SpectrogramCache extends PluginBase<'cache'> {
  get(key: CacheKey): Promise<Tensor | undefined>;
  put(key: CacheKey, tensor: Tensor): Promise<void>;
  has(key: CacheKey): Promise<boolean>;
  delete(key: CacheKey): Promise<boolean>;
  keys(): AsyncIterable<CacheKey>;
  /** Bytes held, as the cache accounts them (tensor bytes plus its own per-entry overhead). */
  byteSize(): Promise<number>;
  /**
   * Optional: removes what interrupted writes of `key` left behind (e.g. the temporary file of a
   * process killed mid-write) and returns how many things it removed; the entry itself is kept.
   * Generation calls it after writing an entry whose previous writer died (a job recovered from a
   * dead worker process).
   */
  removeStrays?(key: CacheKey): Promise<number>;
}

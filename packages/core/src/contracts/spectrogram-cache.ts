import type { CacheKey } from './cache-key';
import type { PluginBase } from './plugin';
import type { Tensor } from './tensor';

/**
 * Stores spectrograms by `CacheKey` (made only by `cacheKey()`). `get` returns exactly what was
 * `put` (bit-exact for float32 storage), or `undefined` for a missing key. A damaged entry is
 * reported as `SpgCacheError`, never returned. The dataset reaches every cache through core's
 * `layeredCache`, which checks each key once, so a cache receives well-formed keys only (a cache
 * that maps keys to files still checks containment before touching storage). `keys` and
 * `byteSize` are optional. Run `describeSpectrogramCache` from `@spgdataset/core/testing` on any
 * implementation.
 *
 * @example
 * const map = new Map<string, Tensor>();
 * const cache: SpectrogramCache = {
 *   kind: 'cache', id: 'example/map', options: null,
 *   get: async (k) => map.get(k.id), put: async (k, t) => void map.set(k.id, { data: t.data.slice(), shape: [...t.shape] }),
 *   has: async (k) => map.has(k.id), delete: async (k) => map.delete(k.id),
 * };
 */
export interface SpectrogramCache extends PluginBase<'cache'> {
  get(key: CacheKey): Promise<Tensor | undefined>;
  /**
   * Stores a copy of `tensor`. May decline (e.g. over a memory budget) and say so by resolving to
   * `false`; `true` or nothing means stored.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: caches written before put reported anything resolve to void.
  put(key: CacheKey, tensor: Tensor): Promise<boolean | void>;
  has(key: CacheKey): Promise<boolean>;
  delete(key: CacheKey): Promise<boolean>;
  /** Optional: every stored key. */
  keys?(): AsyncIterable<CacheKey>;
  /** Optional: bytes held, as the cache accounts them (tensor bytes plus its own per-entry overhead). */
  byteSize?(): Promise<number>;
  /**
   * Optional: the shape of `key`'s entry, checked without reading its values (a file cache reads the
   * header and compares the file's size with it): `undefined` when missing, `SpgCacheError`
   * (`SPG_CACHE_CORRUPT`) when damaged. The dataset checks every entry with it when it opens, so a
   * damaged entry is repaired by the build instead of failing a training run.
   */
  peek?(key: CacheKey): Promise<{ shape: number[] } | undefined>;
  /**
   * Optional: makes the entries written so far durable (a file cache syncs the directories it
   * wrote into). The dataset calls it once after generating, not after each `put`.
   */
  sync?(): Promise<void>;
  /**
   * Optional: removes what interrupted writes of `key` left behind (e.g. the temporary file of a
   * process killed mid-write) and returns how many things it removed; the entry itself is kept.
   * Generation calls it after writing an entry whose previous writer died (a job recovered from a
   * dead worker process).
   */
  removeStrays?(key: CacheKey): Promise<number>;
}

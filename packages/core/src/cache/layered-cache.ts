import type { Json } from '../contracts/json';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { assertCacheKey } from './assert-cache-key';
import type { CacheKey } from './cache-key';
import type { MemoryCache } from './memory-cache';

/** A memory cache in front of an optional persistent cache, as one `SpectrogramCache`. */
export interface LayeredCache extends SpectrogramCache {
  readonly memory: MemoryCache | undefined;
  readonly persistent: SpectrogramCache | undefined;
}

/**
 * The one door through which the dataset reaches its caches: every key is checked here, once
 * (`assertCacheKey`, `SPG_CACHE_BAD_KEY`), so the layers behind it receive well-formed keys only.
 *
 * Reads memory first, then `persistent`; a persistent hit is copied into memory while the budget
 * allows (fill until full). `put` writes through to `persistent`, then to memory if it fits, and
 * resolves to whether any layer kept the entry. `delete` removes from both. `keys` (the union) and
 * `byteSize` (the sum of both accountings) exist when every layer has them; so does `peek` (memory
 * first); `sync` syncs the persistent cache. Either layer's `SpgCacheError` (e.g. a corrupt file)
 * propagates so the caller can regenerate. Keys are content-addressed (the variant hashes every
 * parameter), so two writers of one key write equal values and the layers cannot disagree in
 * practice. Either layer may be absent.
 */
export function layeredCache(
  memory: MemoryCache | undefined,
  persistent: SpectrogramCache | undefined,
): LayeredCache {
  const options: Json = {
    memory: memory ? memory.options : null,
    persistent: persistent ? { use: persistent.id, options: persistent.options } : null,
  };
  const cache: LayeredCache = {
    kind: 'cache',
    id: 'core/layered',
    options,
    memory,
    persistent,
    async get(key: CacheKey): Promise<Tensor | undefined> {
      assertCacheKey(key, 'get');
      const hit = memory?.getSync(key);
      if (hit || !persistent) return hit;
      const tensor = await persistent.get(key);
      if (tensor) memory?.putSync(key, tensor);
      return tensor;
    },
    async put(key: CacheKey, tensor: Tensor): Promise<boolean> {
      assertCacheKey(key, 'put');
      const persisted = persistent ? (await persistent.put(key, tensor)) !== false : false;
      const held = memory ? memory.putSync(key, tensor) : false;
      return persisted || held;
    },
    async has(key: CacheKey): Promise<boolean> {
      assertCacheKey(key, 'has');
      return (memory ? await memory.has(key) : false) || (persistent ? await persistent.has(key) : false);
    },
    // peek only when every layer can (else callers fall back to has; entries are checked when read).
    ...(persistent && !persistent.peek
      ? {}
      : {
          async peek(key: CacheKey): Promise<{ shape: number[] } | undefined> {
            assertCacheKey(key, 'get');
            const held = memory ? await memory.peek(key) : undefined;
            return held || !persistent?.peek ? held : persistent.peek(key);
          },
        }),
    async sync(): Promise<void> {
      await persistent?.sync?.();
    },
    async delete(key: CacheKey): Promise<boolean> {
      assertCacheKey(key, 'delete');
      const inMemory = memory ? await memory.delete(key) : false;
      const inPersistent = persistent ? await persistent.delete(key) : false;
      return inMemory || inPersistent;
    },
  };
  const persistentKeys = persistent?.keys?.bind(persistent);
  if (!persistent || persistentKeys) {
    cache.keys = async function* keys(): AsyncIterable<CacheKey> {
      const seen = new Set<string>();
      if (memory)
        for await (const key of memory.keys()) {
          seen.add(key.id);
          yield key;
        }
      if (persistentKeys) for await (const key of persistentKeys()) if (!seen.has(key.id)) yield key;
    };
  }
  const persistentBytes = persistent?.byteSize?.bind(persistent);
  if (!persistent || persistentBytes) {
    cache.byteSize = async () =>
      (memory ? memory.usedBytes : 0) + (persistentBytes ? await persistentBytes() : 0);
  }
  return cache;
}

import type { Json } from '../contracts/json';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import type { CacheKey } from './cache-key';
import type { MemoryCache } from './memory-cache';

/** A memory cache in front of an optional persistent cache, as one `SpectrogramCache`. */
export interface LayeredCache extends SpectrogramCache {
  readonly memory: MemoryCache;
  readonly persistent: SpectrogramCache | undefined;
}

/**
 * Reads memory first, then `persistent`; a persistent hit is copied into memory while the budget
 * allows (fill until full). `put` writes through to `persistent`, then to memory if it fits.
 * `delete` removes from both; `keys` is the union; `byteSize` is the sum of both accountings;
 * `peek` (when the persistent cache has it) asks memory first; `sync` syncs the persistent cache.
 * Either layer's `SpgCacheError` (e.g. a corrupt file) propagates so the caller can regenerate.
 * Keys are content-addressed (the variant hashes every parameter), so two writers of one key write
 * equal values and the layers cannot disagree in practice.
 */
export function layeredCache(memory: MemoryCache, persistent: SpectrogramCache | undefined): LayeredCache {
  const options: Json = {
    memory: memory.options,
    persistent: persistent ? { use: persistent.id, options: persistent.options } : null,
  };
  return {
    kind: 'cache',
    id: 'core/layered',
    options,
    memory,
    persistent,
    async get(key: CacheKey): Promise<Tensor | undefined> {
      const hit = memory.getSync(key);
      if (hit || !persistent) return hit;
      const tensor = await persistent.get(key);
      if (tensor) memory.putSync(key, tensor);
      return tensor;
    },
    async put(key: CacheKey, tensor: Tensor): Promise<void> {
      if (persistent) await persistent.put(key, tensor);
      memory.putSync(key, tensor);
    },
    async has(key: CacheKey): Promise<boolean> {
      return (await memory.has(key)) || (persistent ? await persistent.has(key) : false);
    },
    // peek only when every layer can (else callers fall back to has; entries are checked when read).
    ...(persistent && !persistent.peek
      ? {}
      : {
          async peek(key: CacheKey): Promise<{ shape: number[] } | undefined> {
            const held = await memory.peek(key);
            return held || !persistent?.peek ? held : persistent.peek(key);
          },
        }),
    async sync(): Promise<void> {
      await persistent?.sync?.();
    },
    async delete(key: CacheKey): Promise<boolean> {
      const inMemory = await memory.delete(key);
      const inPersistent = persistent ? await persistent.delete(key) : false;
      return inMemory || inPersistent;
    },
    async *keys(): AsyncIterable<CacheKey> {
      const seen = new Set<string>();
      for await (const key of memory.keys()) {
        seen.add(key.id);
        yield key;
      }
      if (persistent) for await (const key of persistent.keys()) if (!seen.has(key.id)) yield key;
    },
    async byteSize(): Promise<number> {
      return (await memory.byteSize()) + (persistent ? await persistent.byteSize() : 0);
    },
  };
}

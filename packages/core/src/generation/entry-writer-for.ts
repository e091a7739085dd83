import type { CacheKey } from '../cache/cache-key';
import type { EntryWriter, SpectrogramCache } from '../contracts/spectrogram-cache';
import { type MemoryEntryBuffers, MemoryEntryWriter } from './memory-entry-writer';

/**
 * A writer for `key`'s entry in `cache`: the cache's own (`writer`: bounded memory) when it has one,
 * else one that collects the entry in memory and `put`s it on commit.
 */
export async function entryWriterFor(
  cache: SpectrogramCache,
  key: CacheKey,
  rows: number,
  buffers?: MemoryEntryBuffers,
): Promise<EntryWriter> {
  if (cache.writer) return cache.writer(key, rows);
  return new MemoryEntryWriter(rows, (tensor) => cache.put(key, tensor), buffers);
}

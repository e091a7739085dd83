import type { CacheKey } from '../cache/cache-key';
import type { MemoryCache } from '../cache/memory-cache';
import type { ProgressCallback } from '../contracts/progress';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { IndexedFile } from './dataset-index';
import type { GenerationStats } from './dataset-report';
import { progressReporter } from './progress-reporter';
import type { SpectrogramProducer } from './spectrogram-producer';

export interface GenerateMissingInput {
  files: readonly IndexedFile[];
  keys: readonly CacheKey[];
  /** Where spectrograms are kept: memory in front of the persistent cache, or either alone. */
  store: SpectrogramCache;
  /** The persistent cache, when there is one. */
  persistent: SpectrogramCache | undefined;
  memory: MemoryCache | undefined;
  producer: SpectrogramProducer;
  stats: GenerationStats;
  onProgress: ProgressCallback | undefined;
  /** Files whose spectrograms were made while indexing (not counted as cached). */
  generatedWhileIndexing: ReadonlySet<string>;
}

/**
 * Generates every spectrogram the store lacks, `producer.concurrency` files at a time, then
 * preloads the memory cache from the persistent cache within its budget. Without a persistent
 * cache, once memory declines an entry the rest is left to be generated on demand.
 */
export async function generateMissing(input: GenerateMissingInput): Promise<void> {
  const { files, keys, store, persistent, producer, stats } = input;
  const needed = files.map((_, i) => i).filter((i) => files[i]!.windows.length > 0);
  const report = progressReporter(input.onProgress, 'generate');
  let done = 0;
  let next = 0;
  let stop = false;
  // One runner per worker (one without workers): generation jobs overlap only when a pool runs them.
  const runner = async () => {
    while (!stop && next < needed.length) {
      const fi = needed[next++]!;
      const file = files[fi]!;
      const key = keys[fi]!;
      if (await store.has(key)) {
        if (!input.generatedWhileIndexing.has(file.path)) stats.cached++;
      } else {
        await store.put(key, await producer.produce(file));
        if (!persistent && !(await store.has(key))) stop = true;
      }
      report(++done, needed.length, file.path);
    }
  };
  const runners = Math.max(1, Math.min(producer.concurrency, needed.length));
  await Promise.all(Array.from({ length: runners }, runner));
  if (input.memory && persistent) {
    await input.memory.preload(
      persistent,
      needed.map((i) => keys[i]!),
      { onProgress: input.onProgress },
    );
  }
}

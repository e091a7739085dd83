import type { CacheKey } from '../cache/cache-key';
import type { MemoryCache } from '../cache/memory-cache';
import type { GenerationPlan, GenerationScheduler } from '../contracts/generation-scheduler';
import type { ProgressCallback } from '../contracts/progress';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import { GenerationPipeline } from '../generation/generation-pipeline';
import { checkEntry } from './check-entry';
import type { IndexedFile, SkippedFile } from './dataset-index';
import type { GenerationStats } from './dataset-report';
import { notBuiltError } from './not-built-error';
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
  /** Workers and the plan they re-create the plugins from; absent: generate in this thread. */
  workers: { scheduler: GenerationScheduler; plan: GenerationPlan } | undefined;
  stats: GenerationStats;
  warn: (message: string) => void;
  onProgress: ProgressCallback | undefined;
  /** Files whose spectrograms were made while indexing (not counted as cached). */
  generatedWhileIndexing: ReadonlySet<string>;
  /** With `onError: 'skip'` and workers: they report files that cannot be decoded instead of failing. */
  skipFailed?: boolean;
  /** Throw `SPG_DATASET_NOT_BUILT` listing the missing entries instead of generating them. */
  readOnly?: boolean;
}

/**
 * Checks every entry the dataset needs (header and size, without reading the values, when the
 * cache can `peek`; a damaged or misshapen one is reported, deleted and counted as repaired) and
 * generates every spectrogram the store lacks — in workers when a scheduler and a plan are given
 * (they write to the persistent cache), else in this thread, overlapped and in reused buffers
 * (`GenerationPipeline`) — then makes the new entries durable with one `sync()` of the persistent
 * cache and preloads the memory cache from it within its budget. Without a persistent cache, once
 * memory declines an entry the rest is left to be generated on demand. With `readOnly`, a missing,
 * damaged or misshapen entry is an error instead (nothing is written).
 * Returns the files workers skipped.
 */
export async function generateMissing(input: GenerateMissingInput): Promise<SkippedFile[]> {
  const { files, keys, store, persistent, producer, stats } = input;
  const needed = files.map((_, i) => i).filter((i) => files[i]!.windows.length > 0);
  const report = progressReporter(input.onProgress, 'generate');
  let done = 0;
  const missing: number[] = [];
  const skipped: SkippedFile[] = [];
  // Checked 64 at a time: each check is a few system calls, which the I/O threads run side by side.
  const states: Awaited<ReturnType<typeof checkEntry>>[] = [];
  for (let i = 0; i < needed.length; i += 64) {
    const chunk = needed.slice(i, i + 64);
    states.push(
      ...(await Promise.all(
        chunk.map((fi) => checkEntry(store, keys[fi]!, files[fi]!, producer, input.warn, input.readOnly)),
      )),
    );
  }
  for (const [i, fi] of needed.entries()) {
    const file = files[fi]!;
    const state = states[i]!;
    if (state === 'present') {
      if (!input.generatedWhileIndexing.has(file.path)) stats.cached++;
      report(++done, needed.length, file.path);
    } else {
      if (state === 'damaged') stats.regenerated++;
      missing.push(fi);
    }
  }
  if (input.readOnly && missing.length)
    throw notBuiltError('spectrograms', {
      missing: missing.map((fi) => files[fi]!.path),
      total: needed.length,
    });
  if (input.workers && missing.length) {
    const { scheduler, plan } = input.workers;
    const keyOf = new Map(missing.map((fi) => [files[fi]!.path, keys[fi]!]));
    await scheduler.run({
      plan,
      tasks: missing.map((fi) => {
        const { path, size, changeToken, length } = files[fi]!;
        return { path, size, changeToken, length };
      }),
      onResult: (result) => {
        stats.generated++;
        for (const warning of result.warnings) input.warn(warning);
        report(++done, needed.length, result.path);
      },
      hasEntry: async (task) => {
        const key = keyOf.get(task.path);
        return key !== undefined && (await store.has(key));
      },
      ...(input.skipFailed && {
        onSkip: (file: SkippedFile) => {
          skipped.push(file);
          report(++done, needed.length, file.path);
        },
      }),
    });
  } else if (missing.length) {
    const pipeline = new GenerationPipeline(producer.parts);
    pipeline.expect(missing.map((fi) => files[fi]!.path));
    try {
      for (const fi of missing) {
        const key = keys[fi]!;
        const tensor = await producer.produce(files[fi]!, pipeline);
        const path = files[fi]!.path;
        if (persistent) {
          await pipeline.store(store, key, tensor);
          // Reported once the entry is on disk (a progress count never runs ahead of the cache).
          pipeline.whenWritten(() => report(++done, needed.length, path));
        } else {
          const kept = await store.put(key, tensor);
          report(++done, needed.length, path);
          if (kept === false) break;
        }
      }
    } catch (error) {
      await pipeline.finish().catch(() => {});
      throw error;
    }
    await pipeline.finish();
  }
  // One sync for every entry written while opening (here, by workers, or while indexing).
  if (persistent?.sync && stats.generated > 0) await persistent.sync();
  if (input.memory && persistent) {
    const left = new Set(skipped.map((s) => s.path));
    await input.memory.preload(
      persistent,
      needed.filter((i) => !left.has(files[i]!.path)).map((i) => keys[i]!),
      { onProgress: input.onProgress },
    );
  }
  return skipped;
}

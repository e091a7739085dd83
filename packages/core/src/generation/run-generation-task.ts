import { cacheKey } from '../cache/cache-key';
import type { GenerationTask, GenerationTaskResult } from '../contracts/generation-scheduler';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import { discardWriter } from './discard-writer';
import { entryWriterFor } from './entry-writer-for';
import type { GenerationPipeline } from './generation-pipeline';
import type { GeneratorParts } from './generator-parts';
import { pipelineEntryBuffers } from './make-spectrogram';
import type { PieceHelper } from './piece-blocks';
import { streamSpectrogram } from './stream-spectrogram';

/**
 * Generates one task's spectrogram and writes it to `cache` under the key made from the file's
 * identity and `featureFingerprint`, frame by frame as it is computed (`streamSpectrogram` into the
 * cache's `writer`, or into memory and `put` for a cache without one). What every worker runs,
 * wherever it is. A task of length 0 (not known to the index yet) measures the file: its entry is
 * written only when missing, and the result carries the decoded length in `samples`. With a
 * `pipeline`, the file's arrays are the pipeline's reused buffers. `helpers` (other threads) decode
 * pieces of a long file at the same time. The entry is committed before this resolves; on failure
 * nothing is committed.
 */
export async function runGenerationTask(
  parts: GeneratorParts,
  cache: SpectrogramCache,
  featureFingerprint: string,
  task: GenerationTask,
  pipeline?: GenerationPipeline,
  helpers?: readonly PieceHelper[],
): Promise<GenerationTaskResult> {
  // Two tasks at once in one thread (a scheduler running tasks concurrently) must not share buffers.
  const own = pipeline?.acquire() ? pipeline : undefined;
  try {
    const key = cacheKey(task, featureFingerprint);
    const write = task.length > 0 || !(await cache.has(key));
    const rows = parts.extractor.features.rows;
    const writer = write
      ? await entryWriterFor(cache, key, rows, own && pipelineEntryBuffers(own))
      : discardWriter(rows);
    let made: Awaited<ReturnType<typeof streamSpectrogram>>;
    try {
      made = await streamSpectrogram(
        parts,
        { path: task.path, length: task.length, size: task.size, ...(helpers && { helpers }) },
        writer,
        own,
      );
      if (write) await writer.commit();
    } catch (error) {
      await writer.abort().catch(() => {});
      throw error;
    }
    // A killed earlier run may have left a temporary file of this entry: the entry is whole now.
    if (task.recovered) await cache.removeStrays?.(key);
    return {
      path: task.path,
      frames: made.frames,
      warnings: made.warnings,
      samples: made.samples,
      written: write,
    };
  } finally {
    own?.release();
  }
}

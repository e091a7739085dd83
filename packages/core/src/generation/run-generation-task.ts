import { cacheKey } from '../cache/cache-key';
import type { GenerationTask, GenerationTaskResult } from '../contracts/generation-scheduler';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { GeneratorParts } from '../dataset/spectrogram-generator';
import type { GenerationPipeline } from './generation-pipeline';
import { makeSpectrogram } from './make-spectrogram';

/**
 * Generates one task's spectrogram and writes it to `cache` under the key made from the file's
 * identity and `featureFingerprint`. What every worker runs, wherever it is. A task of length 0
 * (not known to the index yet) measures the file: its entry is written only when missing, and the
 * result carries the decoded length in `samples`. With a `pipeline`, the file's arrays are the
 * pipeline's reused buffers (the entry is written before this resolves).
 */
export async function runGenerationTask(
  parts: GeneratorParts,
  cache: SpectrogramCache,
  featureFingerprint: string,
  task: GenerationTask,
  pipeline?: GenerationPipeline,
): Promise<GenerationTaskResult> {
  // Two tasks at once in one thread (a scheduler running tasks concurrently) must not share buffers.
  const own = pipeline?.acquire() ? pipeline : undefined;
  try {
    const { tensor, warnings, samples } = await makeSpectrogram(parts, task, own);
    const key = cacheKey(task, featureFingerprint);
    const write = task.length > 0 || !(await cache.has(key));
    if (write) await cache.put(key, tensor);
    // A killed earlier run may have left a temporary file of this entry: the entry is whole now.
    if (task.recovered) await cache.removeStrays?.(key);
    return { path: task.path, frames: tensor.shape[1]!, warnings, samples, written: write };
  } finally {
    own?.release();
  }
}

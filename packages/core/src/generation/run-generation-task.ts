import { cacheKey } from '../cache/cache-key';
import type { GenerationTask, GenerationTaskResult } from '../contracts/generation-scheduler';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { GeneratorParts } from '../dataset/spectrogram-generator';
import { makeSpectrogram } from './make-spectrogram';

/**
 * Generates one task's spectrogram and writes it to `cache` under the key made from the file's
 * identity and `featureFingerprint`. What every worker runs, wherever it is.
 */
export async function runGenerationTask(
  parts: GeneratorParts,
  cache: SpectrogramCache,
  featureFingerprint: string,
  task: GenerationTask,
): Promise<GenerationTaskResult> {
  const { tensor, warnings } = await makeSpectrogram(parts, task);
  const key = cacheKey(task, featureFingerprint);
  await cache.put(key, tensor);
  // A killed earlier run may have left a temporary file of this entry: the entry is whole now.
  if (task.recovered) await cache.removeStrays?.(key);
  return { path: task.path, frames: tensor.shape[1]!, warnings };
}

import type { FileStat } from '../contracts/audio-source';
import type { GenerationPlan, GenerationScheduler } from '../contracts/generation-scheduler';
import type { GenerationStats } from './dataset-report';

export interface MeasureInWorkersInput {
  /** Files whose length must be measured by decoding, in order. */
  paths: readonly string[];
  /** Every audio file with its stat (the cache key's identity). */
  files: readonly { path: string; stat: FileStat }[];
  workers: { scheduler: GenerationScheduler; plan: GenerationPlan };
  stats: GenerationStats;
  /** Files whose entries the workers wrote (not counted as already cached later). */
  generated: Set<string>;
  warn: (message: string) => void;
  onProgress: (done: number, total: number, path: string) => void;
}

/**
 * Measures the length of files that metadata.json gives none for on the generation workers rather
 * than in this thread: each worker decodes its file, writes the file's entry when the cache lacks
 * it (so nothing is decoded twice) and reports the decoded length. Without this, a folder without
 * metadata.json was decoded and generated entirely by this thread, whatever `numWorkers` said.
 * Returns the measured lengths; files a worker did not report a length for (an older worker) are
 * left out and measured by the index in this thread. A file with no kept window (masks and content
 * ratio) still gets its entry: which windows are kept is known only once its length is.
 */
export async function measureInWorkers(input: MeasureInWorkersInput): Promise<Map<string, number>> {
  const stat = new Map(input.files.map((f) => [f.path, f.stat]));
  const lengths = new Map<string, number>();
  let done = 0;
  const { scheduler, plan } = input.workers;
  input.stats.lengthsMeasured += input.paths.length;
  await scheduler.run({
    plan,
    tasks: input.paths.map((path) => {
      const { size, changeToken } = stat.get(path)!;
      return { path, size, changeToken, length: 0 };
    }),
    onResult: (result) => {
      // No length (an older worker) or none at all (indexing reports empty audio): measured here.
      if (result.samples) lengths.set(result.path, result.samples);
      else input.stats.lengthsMeasured--;
      if (result.written) {
        input.stats.generated++;
        input.generated.add(result.path);
      }
      for (const warning of result.warnings) input.warn(warning);
      input.onProgress(++done, input.paths.length, result.path);
    },
  });
  return lengths;
}

import type { PluginBase } from './plugin';
import type { PluginReference } from './plugin-reference';

/**
 * Everything a worker — a thread here or a process on another machine — needs to generate the
 * spectrograms of one dataset, as JSON: plugins by `{ use, options }` reference, the packages that
 * define them (imported by name, never by file path), the window grid and the fingerprint every
 * cache key is made with.
 */
export interface GenerationPlan {
  source: PluginReference;
  decoder: PluginReference;
  resampler: PluginReference;
  extractor: PluginReference;
  /** The persistent cache the workers write into (shared by every worker). */
  cache: PluginReference;
  /** Import specifiers of the packages exporting the definitions of the plugins above. */
  modules: string[];
  sampleRate: number;
  windowSize: number;
  windowOffset: number;
  dtype: 'float32' | 'float16';
  /** A worker refuses to write when its own extractor gives another fingerprint (version skew). */
  featureFingerprint: string;
}

/** One audio file to generate: its identity (part of the cache key) and indexed length. */
export interface GenerationTask {
  path: string;
  size: number;
  changeToken: string;
  /**
   * Samples at the dataset's sample rate, from the index; 0 when the index does not know it yet
   * (metadata.json gives no length): the worker then measures it by decoding, writes the entry if
   * it is missing, and reports the length as `samples`.
   */
  length: number;
  /**
   * Set when an earlier run of this task died mid-way (its worker process was killed): after writing
   * the entry, the worker asks the cache to remove that run's leftovers (`removeStrays`).
   */
  recovered?: boolean;
}

/** What one finished task reports back. */
export interface GenerationTaskResult {
  path: string;
  /** Frames of the spectrogram written. */
  frames: number;
  /** Problems worth a warning (audio longer or shorter than its indexed length). */
  warnings: string[];
  /** Samples of the decoded audio at the dataset's sample rate (workers of this version report it). */
  samples?: number;
  /** Whether this task wrote the entry (false: a measuring task found it present). */
  written?: boolean;
  /** Pieces of the file other threads decoded for this task (a long file; see `GenerationJob.helpers`). */
  helped?: number;
}

/** One run of a scheduler: the tasks of a dataset that lack a cache entry. */
export interface GenerationRun {
  plan: GenerationPlan;
  tasks: readonly GenerationTask[];
  /** Called once per finished task, in completion order. */
  onResult(result: GenerationTaskResult): void;
  /**
   * Given when the dataset skips bad files (`onError: 'skip'`): a task that fails with an error of its
   * own file (`isSkippableFileError`: it cannot be decoded or read) is reported here once, with the
   * error's message as `reason`, instead of failing the run. Absent: such a task fails the run.
   */
  onSkip?(skipped: { path: string; reason: string }): void;
  /**
   * Whether the task's entry is in the cache now. A scheduler whose jobs outlive a run (a job queue)
   * asks before running a task again that it finds already done: another build, or a worker running
   * the jobs of an interrupted build, may have written it since the task list was made.
   */
  hasEntry?(task: GenerationTask): Promise<boolean>;
  signal?: AbortSignal;
}

/**
 * Runs generation tasks off the calling thread's critical path: worker threads
 * (`workerThreadsScheduler` in `@spgdataset/core/node`, the embedded default, whose calling thread
 * also takes small files while its workers start), or worker processes on other machines. Each
 * worker re-creates the plugins from `run.plan` and writes each entry to the plan's cache with
 * `runGenerationTask`; entries are content-addressed and written atomically, so running a task
 * twice is harmless (at-least-once delivery is enough). `run` resolves when every task has a
 * result (or was skipped through `onSkip`) and rejects with the first task's error (an `SpgError`
 * keeps its class and code).
 */
export interface GenerationScheduler extends PluginBase<'scheduler'> {
  /** How many tasks run at once, for progress and for the caller's planning. */
  readonly concurrency: number;
  run(run: GenerationRun): Promise<void>;
}

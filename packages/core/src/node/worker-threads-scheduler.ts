import { setMaxListeners } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import * as v from 'valibot';
import type {
  GenerationPlan,
  GenerationScheduler,
  GenerationTask,
  GenerationTaskResult,
} from '../contracts/generation-scheduler';
import type { PluginDefinition } from '../contracts/plugin-definition';
import { spgErrorFromJSON } from '../errors/error-json';
import { isSkippableFileError } from '../errors/is-skippable-file-error';
import { SpgConfigError } from '../errors/spg-config-error';
import { SpgError, type SpgErrorJson } from '../errors/spg-error';
import { WHOLE_READ_LIMIT } from '../generation/generation-pipeline';
import { runGenerationTask } from '../generation/run-generation-task';
import type { GenerationFailure, GenerationWorkerInput, PieceHelperInput } from './generation-worker';
import { disposePlanParts, makePlanParts } from './plan-parts';
import { defaultAnchors, resolvePluginModule } from './plugin-modules';

export const WORKER_THREADS_SCHEDULER_ID = 'core/worker-threads';

/**
 * Young generation of each worker thread's heap (V8's default is 16 MiB semi-spaces, up to about
 * 48 MiB per thread). Generation allocates large arrays (outside the young generation) and few
 * small objects, so a small one costs no measurable time, while its more frequent collections free
 * the garbage arrays sooner: a 2-hour 48 kHz stereo FLAC at numWorkers 2 peaked at 192-197 MB RSS
 * with the default, 180-188 MB with this.
 */
const WORKER_YOUNG_GENERATION_MB = 4;

export interface WorkerThreadsSchedulerOptions {
  /** Worker threads (>= 1). */
  numWorkers: number;
  /** The worker module (default: `generation-worker.js` beside this file in the built package). */
  workerFile?: string | URL;
  /**
   * Where workers look up the plan's packages by name, tried in order (file or folder URLs).
   * Always followed by the current folder and @spgdataset/core's own location.
   */
  anchors?: readonly string[];
  /**
   * Whether this thread generates files while the workers start (until the first worker result)
   * instead of only waiting on them (default true), when every file is read whole (up to 8 MiB).
   * False leaves every task to the worker threads (this thread's event loop stays free).
   */
  mainThread?: boolean;
}

/**
 * The built worker-thread entry that generates one task (`partsFromPlan` + `runGenerationTask`), for
 * pools of other schedulers (e.g. a job-queue worker process running tasks on its threads).
 */
export function generationWorkerFile(): URL {
  try {
    return new URL('./generation-worker.js', import.meta.url);
  } catch (cause) {
    throw new SpgConfigError([
      {
        path: 'workerFile',
        message: `cannot locate generation-worker.js from this build (${(cause as Error).message}); pass workerFile: the path of dist/generation-worker.js in @spgdataset/core`,
      },
    ]);
  }
}

function rethrown(failure: GenerationFailure, path: string): Error {
  const { error } = failure;
  if ('code' in error) return spgErrorFromJSON(error as SpgErrorJson);
  const plain = new Error(`${error.message} (in a generation worker, file ${path})`);
  plain.name = error.name;
  return plain;
}

/**
 * Runs generation tasks on `numWorkers` worker threads of this process (tinypool), the embedded
 * default scheduler: nothing to install. Each thread re-creates the plan's plugins once, by package
 * name, and writes entries to the plan's cache itself. The pool lives for one `run`. When every file
 * is read whole (up to 8 MiB), this thread generates files too until the first worker result
 * (`mainThread`).
 *
 * @example
 * createDataset(registry).scheduler(workerThreadsScheduler({ numWorkers: 2 }))
 */
export function workerThreadsScheduler(options: WorkerThreadsSchedulerOptions): GenerationScheduler {
  const { numWorkers } = options;
  if (!Number.isInteger(numWorkers) || numWorkers < 1) {
    throw new SpgConfigError([
      { path: 'numWorkers', message: `got ${numWorkers}; use an integer >= 1 (0 means no workers)` },
    ]);
  }
  const anchors = [...(options.anchors ?? []), ...defaultAnchors()];
  return {
    kind: 'scheduler',
    id: WORKER_THREADS_SCHEDULER_ID,
    options: { numWorkers },
    concurrency: numWorkers,
    async run({ plan, tasks, onResult, onSkip, signal }) {
      signal?.throwIfAborted();
      if (tasks.length === 0) return;
      // Loaded lazily: tinypool is ESM-only and Node-only.
      const { default: Tinypool } = await import('tinypool');
      const workerFile = options.workerFile ?? generationWorkerFile();
      const spares = spareThreads(tasks, numWorkers);
      const perThread = tasks.every((task) => task.size <= WHOLE_READ_LIMIT) ? 2 : 1;
      const threads = Math.min(numWorkers, tasks.length + spares.reduce((n, s) => n + s, 0));
      // The tasks' threads start booting now (they take far longer than the rest of this set-up);
      // a helper's thread only once its task's file turns out to be cut into pieces.
      const pool = new Tinypool({
        filename: workerFile instanceof URL ? workerFile.href : workerFile,
        minThreads: Math.min(numWorkers, tasks.length),
        maxThreads: threads,
        // Each worker keeps its plugins (e.g. a compiled WASM module) warm across tasks.
        isolateWorkers: false,
        // Two small files in flight per thread: one is read (or written) while the other is computed
        // (with one, a worker sat idle for its file's I/O, about 40% of its time on an hour of 16 kHz
        // WAV). One at a time when any file is read in ranges: a long file's memory stays bounded
        // per thread, and helper jobs land on idle threads rather than beside their task.
        concurrentTasksPerWorker: perThread,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
      // Resolved once here for every thread (each thread resolving them costs more than importing).
      const moduleUrls = await Promise.all(plan.modules.map((m) => resolvePluginModule(m, anchors))).catch(
        async (error: unknown) => {
          await pool.destroy();
          throw error;
        },
      );
      const stop = new AbortController();
      // One abort listener per queued task and helper: not a leak.
      setMaxListeners(threads + tasks.length + 1, stop.signal);
      const abort = () => stop.abort(signal?.reason);
      signal?.addEventListener('abort', abort, { once: true });
      const helping: Promise<unknown>[] = [];
      let finished = false;
      /**
       * Channels to `count` helper jobs for one task's thread, each with a port the task's thread
       * posts to when it has pieces for the helper: only then does the helper's job start (and its
       * thread boot). A file that is not cut (e.g. a WAV) never starts one. Until the job starts, the
       * pieces asked for wait in the helper's end of the channel.
       */
      const startHelpers = (count: number) =>
        Array.from({ length: count }, () => {
          const channel = new MessageChannel();
          const wake = new MessageChannel();
          let started = false;
          const start = () => {
            if (started) return;
            started = true;
            wake.port2.close();
            if (finished) return channel.port2.close();
            const help: PieceHelperInput = { plan, serve: channel.port2, anchors, moduleUrls };
            // A helper that fails only leaves its task to decode alone. Stopped with the run: a task
            // that never started would never close the helper's channel.
            helping.push(
              pool.run(help, { transferList: [channel.port2], signal: stop.signal }).catch(() => {}),
            );
          };
          wake.port2.once('message', start);
          // The task ended without asking for help.
          wake.port2.once('close', () => {
            if (started) return;
            started = true;
            channel.port2.close();
          });
          return { port: channel.port1, wake: wake.port1 };
        });
      /** What a task's failure does: skipped (`onSkip`) when it is its own file's, else the run fails. */
      const failed = (error: Error, path: string) => {
        if (!onSkip || !isSkippableFileError(error)) throw error;
        onSkip({ path, reason: error.message });
      };
      const runInWorker = async (i: number) => {
        const task = tasks[i]!;
        const helpers = startHelpers(spares[i] ?? 0);
        const input: GenerationWorkerInput = {
          plan,
          task,
          anchors,
          moduleUrls,
          ...(helpers.length > 0 && {
            helpers: helpers.map((h) => h.port),
            helperWakes: helpers.map((h) => h.wake),
          }),
        };
        const result = (await pool.run(input, {
          signal: stop.signal,
          ...(helpers.length > 0 && { transferList: helpers.flatMap((h) => [h.port, h.wake]) }),
        })) as GenerationTaskResult | GenerationFailure;
        if ('error' in result) failed(rethrown(result, task.path), task.path);
        else onResult(result);
      };
      // Tasks are handed out in order, to whichever thread is free: a thread's next task waits here,
      // not in the pool, so this thread can take it when it is free first.
      let next = 0;
      const take = () => (next < tasks.length && !stop.signal.aborted ? next++ : undefined);
      // Set by the first result of a worker: this thread then leaves the files to the workers.
      let started = false;
      const workerLane = async () => {
        for (let i = take(); i !== undefined; i = take()) {
          await runInWorker(i);
          started = true;
        }
      };
      // Every file read whole: this thread generates files until the workers have started.
      const here = perThread === 2 && options.mainThread !== false;
      const lanes = Array.from({ length: threads * perThread }, workerLane);
      if (here)
        lanes.push(
          generateHere(
            plan,
            anchors,
            moduleUrls,
            () => (started ? undefined : take()),
            tasks,
            onResult,
            failed,
          ),
        );
      const running = Promise.all(lanes);
      try {
        await running.catch((error: unknown) => {
          // The first failure stops the rest; later aborts are not the error to report.
          stop.abort(error);
          throw error;
        });
      } finally {
        finished = true;
        signal?.removeEventListener('abort', abort);
        // This thread's file in progress ends before the run does (nothing is written after it).
        await Promise.allSettled(lanes);
        await Promise.all(helping);
        await pool.destroy();
      }
    },
  };
}

/**
 * The calling thread's share of a run: while it takes a next task (`take`, until the first worker
 * result), it generates it with the plan's plugins made here for the run (as a worker does; their
 * modules are already loaded in this thread), instead of idling on the workers' start-up: before its
 * first result a worker spends 70-110 ms of CPU (Node's bootstrap, importing and creating the
 * plugins, a cold JIT), what 20-30 twenty-second 16 kHz WAV files take. Only then: a long-lived
 * thread with a large heap is a slower generator than a worker (more costly full collections) and
 * handles every worker's results. Tasks are taken one at a time, so a worker's result waits at most
 * one file's compute to be handled. Without the plugins here (they fail to load), the workers do
 * every task.
 */
async function generateHere(
  plan: GenerationPlan,
  anchors: readonly string[],
  moduleUrls: readonly string[],
  take: () => number | undefined,
  tasks: readonly GenerationTask[],
  onResult: (result: GenerationTaskResult) => void,
  failed: (error: Error, path: string) => void,
): Promise<void> {
  // Made for this run only: plugins kept from an earlier run could hold state of a cache folder
  // removed since (a worker thread's plugins end with the run's pool).
  const made = await makePlanParts(plan, anchors, moduleUrls).catch(() => undefined);
  if (!made) return;
  const { parts, cache, pipeline } = made;
  try {
    for (let i = take(); i !== undefined; i = take()) {
      const task = tasks[i]!;
      let result: GenerationTaskResult;
      try {
        result = await runGenerationTask(parts, cache, plan.featureFingerprint, task, pipeline);
      } catch (cause) {
        const error = cause instanceof Error ? cause : new Error(String(cause));
        // Named like a worker's failure: the file is part of the message.
        const named = Object.assign(new Error(`${error.message} (file ${task.path})`), { name: error.name });
        failed(SpgError.isInstance(error) || isSkippableFileError(error) ? error : named, task.path);
        continue;
      }
      onResult(result);
    }
  } finally {
    await disposePlanParts(made);
  }
}

/**
 * Threads left idle when there are fewer tasks than `numWorkers`, given to the tasks of files read in
 * ranges (larger than `WHOLE_READ_LIMIT`), largest first, round robin: each of them decodes pieces of
 * its task's file at the same time as the task's own thread (`GenerationJob.helpers`). Returns the
 * helpers per task, by index.
 */
function spareThreads(tasks: readonly GenerationTask[], numWorkers: number): number[] {
  const spares = new Array<number>(tasks.length).fill(0);
  const long = tasks
    .map((task, i) => ({ size: task.size, i }))
    .filter(({ size }) => size > WHOLE_READ_LIMIT)
    .sort((a, b) => b.size - a.size);
  for (let left = numWorkers - tasks.length, k = 0; left > 0 && long.length > 0; left--, k++)
    spares[long[k % long.length]!.i]!++;
  return spares;
}

const optionsSchema = v.strictObject({
  numWorkers: v.pipe(
    v.number('must be a whole number >= 1'),
    v.integer('must be a whole number >= 1'),
    v.minValue(1, 'must be a whole number >= 1'),
  ),
});

/** Registry definition: `{ "use": "core/worker-threads", "options": { "numWorkers": 2 } }`. */
export const workerThreadsSchedulerDefinition: PluginDefinition<
  'scheduler',
  v.InferOutput<typeof optionsSchema>
> = {
  kind: 'scheduler',
  id: WORKER_THREADS_SCHEDULER_ID,
  module: '@spgdataset/core/node',
  schema: optionsSchema,
  create: (o) => workerThreadsScheduler(o),
};

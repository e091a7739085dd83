import { hostname } from 'node:os';
import { type GenerationPlan, type GenerationTaskResult, SpgConfigError, SpgError } from '@spgdataset/core';
import {
  defaultAnchors,
  type GenerationFailure,
  type GenerationWorkerInput,
  generationWorkerFile,
} from '@spgdataset/core/node';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkRedis } from './check-redis';
import { type GenerationJobData, planKey } from './generation-job';
import { checkQueueName } from './queue-name';
import { redisClients } from './redis-clients';
import { parseRedisUrl } from './redis-url';

export interface RunBullmqWorkerOptions {
  /** Redis URL, e.g. `redis://host:6379`: the same Redis the coordinator queues to. */
  connection: string;
  /** Jobs run at once, each on its own thread (default 1; one per core is the usual choice). */
  concurrency?: number;
  /** Queue to take jobs from (default 'spgdataset'). */
  queueName?: string;
  /**
   * Where the plans' plugin packages are looked up by name (file or folder URLs), before the
   * current folder and @spgdataset/core's own location.
   */
  anchors?: readonly string[];
  /**
   * How long a running job stays locked to this worker without a renewal (default 30000 ms). The lock
   * is renewed every half of it by this process's main thread, which only talks to Redis while the
   * work runs on threads, so a long file never lets it lapse: this only bounds how long the job of
   * a worker that died waits before another worker takes it over.
   */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died (lock expired) and queues them again (default 30000 ms). */
  stalledIntervalMs?: number;
  /** Times a job may be recovered from a dead worker before it fails for good (default 2). */
  maxStalledCount?: number;
  /** Bound on connecting to Redis at start (default 5000 ms). */
  connectTimeoutMs?: number;
  /** The worker-thread entry (default: `generationWorkerFile()` of @spgdataset/core). */
  workerFile?: string | URL;
  /** Each job's outcome, e.g. to print a line per job. */
  onEvent?(event: BullmqWorkerEvent): void;
}

/** One job's outcome on this worker. */
export type BullmqWorkerEvent =
  | { type: 'done'; jobId: string; path: string; frames: number; ms: number }
  | {
      type: 'failed';
      jobId: string;
      path: string;
      ms: number;
      message: string;
      /** false: BullMQ runs it again after the backoff. */
      final: boolean;
    }
  | { type: 'redis-error'; message: string };

export interface BullmqWorkerHandle {
  /** `host:pid`, as BullMQ records it on each job this worker processes. */
  readonly name: string;
  /**
   * Stops taking jobs and resolves once the running ones have finished and every connection is
   * closed. `force`: stops at once; the running jobs go back to the queue when their locks expire.
   */
  close(force?: boolean): Promise<void>;
  /** Resolves when the worker has stopped (by `close`). */
  readonly closed: Promise<void>;
}

/** Plans by id, read from Redis once per build and kept for the next jobs. */
function planCache(client: Redis, queueName: string, UnrecoverableError: new (m: string) => Error) {
  const plans = new Map<string, Promise<GenerationPlan>>();
  return (id: string): Promise<GenerationPlan> => {
    let plan = plans.get(id);
    if (!plan) {
      plan = client.get(planKey(queueName, id)).then((text) => {
        if (text === null)
          throw new UnrecoverableError(
            `the plan ${id} of this job is no longer in Redis (a plan expires a week after its build last ran); run the build again`,
          );
        return JSON.parse(text) as GenerationPlan;
      });
      plan.catch(() => plans.delete(id));
      plans.set(id, plan);
      // A handful of builds at a time is the norm; forget the oldest beyond that.
      if (plans.size > 16) plans.delete(plans.keys().next().value!);
    }
    return plan;
  };
}

function isJobData(data: unknown): data is GenerationJobData {
  const d = data as Partial<GenerationJobData> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.planId === 'string' &&
    typeof d.task === 'object' &&
    d.task !== null &&
    typeof d.task.path === 'string'
  );
}

/**
 * Runs a generation worker: takes jobs from the queue (from any build), re-creates each build's
 * plugins from its plan with `partsFromPlan` and runs `runGenerationTask` — on `concurrency` worker
 * threads of this process (core's generation worker), so the main thread stays free to renew job
 * locks however long a file takes. A file that cannot be decoded (`SpgDecodeError`) fails its job
 * at once (BullMQ's `UnrecoverableError`: running it again would fail the same way); any other
 * error fails the attempt and BullMQ retries it with the build's backoff. Checks Redis first (reachable,
 * >= 6.2, `noeviction`) and throws one clear `SpgError` otherwise.
 *
 * @example
 * const worker = await runBullmqWorker({ connection: 'redis://10.0.0.5:6379', concurrency: 2 });
 * process.on('SIGTERM', () => worker.close());
 */
export async function runBullmqWorker(options: RunBullmqWorkerOptions): Promise<BullmqWorkerHandle> {
  const { url } = parseRedisUrl(options.connection);
  const queueName = checkQueueName(options.queueName);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new SpgConfigError([
      { path: 'concurrency', message: `got ${concurrency}; use a whole number >= 1 (jobs at once)` },
    ]);
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  await checkRedis(url, connectTimeoutMs);

  const { Worker, UnrecoverableError } = await import('bullmq');
  const { default: Tinypool } = await import('tinypool');
  const onEvent = options.onEvent ?? (() => {});
  let lastReported = 0;
  const clients = await redisClients(url, connectTimeoutMs, (error) => {
    // A lost Redis makes every client report each reconnect attempt: say it at most every 10 s.
    if (Date.now() - lastReported < 10_000) return;
    lastReported = Date.now();
    onEvent({ type: 'redis-error', message: error.message });
  });
  const anchors = [...(options.anchors ?? []), ...defaultAnchors()];
  const workerFile = options.workerFile ?? generationWorkerFile();
  const pool = new Tinypool({
    filename: workerFile instanceof URL ? workerFile.href : workerFile,
    minThreads: concurrency,
    maxThreads: concurrency,
    // Each thread keeps a build's plugins (e.g. a compiled WASM module) warm across its jobs.
    isolateWorkers: false,
  });
  const planOf = planCache(clients.client(), queueName, UnrecoverableError);
  const name = `${hostname()}:${process.pid}`;

  const process_ = async (job: Job<GenerationJobData, GenerationTaskResult>) => {
    if (!isJobData(job.data))
      throw new UnrecoverableError(`job ${job.id} is not a spgdataset generation job (no planId and task)`);
    const { task } = job.data;
    const started = performance.now();
    const fail = async (error: GenerationFailure['error']) => {
      // Kept in the job, so the coordinator rethrows the same class with its code and details.
      await job.updateData({ ...job.data, error });
      const decode = 'code' in error && error.name === 'SpgDecodeError';
      const final = decode || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      onEvent({
        type: 'failed',
        jobId: job.id!,
        path: task.path,
        ms: performance.now() - started,
        message: error.message,
        final,
      });
      return decode ? new UnrecoverableError(error.message) : new Error(error.message);
    };
    let plan: GenerationPlan;
    try {
      plan = await planOf(job.data.planId);
    } catch (error) {
      throw await fail({ name: (error as Error).name, message: (error as Error).message });
    }
    // Taken over from a worker that died running it: the cache may hold that run's temporary file.
    const input: GenerationWorkerInput = {
      plan,
      task: job.stalledCounter > 0 ? { ...task, recovered: true } : task,
      anchors,
    };
    let out: GenerationTaskResult | GenerationFailure;
    try {
      out = (await pool.run(input)) as GenerationTaskResult | GenerationFailure;
    } catch (error) {
      // The thread itself died (e.g. out of memory): worth another attempt.
      out = {
        error: SpgError.isInstance(error)
          ? error.toJSON()
          : { name: 'Error', message: `generation thread failed: ${(error as Error)?.message ?? error}` },
      };
    }
    if ('error' in out) throw await fail(out.error);
    onEvent({
      type: 'done',
      jobId: job.id!,
      path: task.path,
      frames: out.frames,
      ms: performance.now() - started,
    });
    return out;
  };

  const worker = new Worker<GenerationJobData, GenerationTaskResult>(queueName, process_, {
    connection: clients.client(),
    concurrency,
    name,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
  });
  worker.on('error', (error) => {
    if (Date.now() - lastReported < 10_000) return;
    lastReported = Date.now();
    onEvent({ type: 'redis-error', message: error.message });
  });
  await worker.waitUntilReady();

  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let closing: Promise<void> | undefined;
  return {
    name,
    closed,
    close(force = false) {
      closing ??= (async () => {
        try {
          await worker.close(force);
          await pool.destroy();
        } finally {
          clients.disconnectAll();
          resolveClosed();
        }
      })();
      return closing;
    },
  };
}

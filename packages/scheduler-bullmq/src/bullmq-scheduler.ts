import {
  consoleLogger,
  type GenerationRun,
  type GenerationScheduler,
  type GenerationTask,
  type GenerationTaskResult,
  type Logger,
  type PluginDefinition,
  SpgConfigError,
} from '@spgdataset/core';
import type { Job, Queue, QueueEvents } from 'bullmq';
import * as v from 'valibot';
import { checkRedis } from './check-redis';
import { eventsKey, type GenerationJobData, PLAN_TTL_SECONDS, planKey } from './generation-job';
import { generationJobId, planId } from './generation-job-id';
import { jobFailure } from './job-failure';
import { checkQueueName } from './queue-name';
import { redisClients, withTimeout } from './redis-clients';
import { redisUnreachable } from './redis-errors';
import { parseRedisUrl } from './redis-url';

export const BULLMQ_SCHEDULER_ID = 'scheduler-bullmq/queue';

export interface BullmqBackoff {
  /** 'exponential' (default): delayMs, 2 x delayMs, 4 x delayMs...; 'fixed': delayMs each time. */
  type?: 'exponential' | 'fixed';
  /** Default 1000. */
  delayMs?: number;
}

export interface BullmqSchedulerOptions {
  /** Redis URL, e.g. `redis://host:6379` (Redis >= 6.2 with `maxmemory-policy noeviction`). */
  connection: string;
  /** Queue the workers listen on (default 'spgdataset'). */
  queueName?: string;
  /** Runs of a job before it fails for good (default 3). A file that cannot be decoded runs once. */
  attempts?: number;
  /** Wait between attempts (default exponential from 1 s). */
  backoff?: BullmqBackoff;
  /** Bound on connecting to Redis and on each check at start (default 5000 ms). */
  connectTimeoutMs?: number;
  /** How long a build waits for a Redis it lost before failing (default 60000 ms). */
  redisLostTimeoutMs?: number;
  /** Where the "no worker is listening" hint goes (default: console warnings). Not part of the JSON options. */
  logger?: Logger;
}

/** How often the coordinator checks pending jobs in Redis besides listening to queue events. */
const SWEEP_MS = 3000;
/** Pending jobs checked per sweep (bounded so huge builds never flood Redis). */
const SWEEP_BATCH = 500;
/** Jobs added per round trip. */
const ADD_BATCH = 500;
/** After this long without progress and with no worker listening, say how to start one. */
const NO_WORKER_HINT_MS = 10_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The task result a worker returned, trusting only its shape. */
function resultOf(value: unknown, task: GenerationTask): GenerationTaskResult {
  const r = (typeof value === 'object' && value !== null ? value : {}) as Partial<GenerationTaskResult>;
  return {
    path: task.path,
    frames: typeof r.frames === 'number' ? r.frames : 0,
    warnings: Array.isArray(r.warnings) ? r.warnings.filter((w) => typeof w === 'string') : [],
    // A measuring task (length 0) reports the decoded length; the dataset indexes the file with it.
    ...(typeof r.samples === 'number' ? { samples: r.samples } : {}),
    ...(typeof r.written === 'boolean' ? { written: r.written } : {}),
  };
}

/**
 * A `GenerationScheduler` that queues one BullMQ job per task in Redis, for worker processes on any
 * number of machines (`runBullmqWorker`, or `spgdataset worker --redis <url>`). The plan is stored
 * once per build; each job id is derived from the entry's cache key, so a task queued by two builds
 * is one job. Completion arrives through the queue's event stream (read from before the first job
 * was queued), with a bounded sweep of the pending jobs as a fallback; every completed job calls
 * `onResult` once. Jobs run at least once: a worker that dies leaves its job to be picked up again
 * when its lock expires, which is harmless because entries are written atomically under
 * content-derived keys. A file that cannot be decoded fails its job at once (no retry) and goes to
 * `onSkip` when given; other errors are retried with backoff, and a job that runs out of attempts
 * fails the run naming its file.
 *
 * @example
 * openSpectrogramDataset({ ..., scheduler: bullmqScheduler({ connection: 'redis://10.0.0.5:6379' }) })
 */
export function bullmqScheduler(options: BullmqSchedulerOptions): GenerationScheduler {
  const { url, shown } = parseRedisUrl(options.connection);
  const queueName = checkQueueName(options.queueName);
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new SpgConfigError([{ path: 'attempts', message: `got ${attempts}; use a whole number >= 1` }]);
  const backoff = { type: options.backoff?.type ?? 'exponential', delay: options.backoff?.delayMs ?? 1000 };
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const redisLostTimeoutMs = options.redisLostTimeoutMs ?? 60_000;
  const logger = options.logger ?? consoleLogger();
  let workersSeen = 0;
  const json = {
    connection: options.connection,
    ...(options.queueName !== undefined && { queueName }),
    ...(options.attempts !== undefined && { attempts }),
    ...(options.backoff !== undefined && { backoff: { ...options.backoff } }),
    ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs }),
    ...(options.redisLostTimeoutMs !== undefined && { redisLostTimeoutMs }),
  };

  async function run({ plan, tasks, onResult, onSkip, hasEntry, signal }: GenerationRun): Promise<void> {
    signal?.throwIfAborted();
    if (tasks.length === 0) return;
    await checkRedis(url, connectTimeoutMs);
    const { Queue, QueueEvents } = await import('bullmq');
    let lastRedisError: Error | undefined;
    const clients = await redisClients(url, connectTimeoutMs, (error) => {
      lastRedisError = error;
    });
    const lost = () =>
      redisUnreachable(
        shown,
        `no answer for ${redisLostTimeoutMs} ms during the build${lastRedisError ? ` (${lastRedisError.message})` : ''}; rerun when it is back (finished entries are kept)`,
      );
    const redis = <T>(promise: Promise<T>) => withTimeout(promise, redisLostTimeoutMs, lost);
    const control = clients.client();
    const queue: Queue<GenerationJobData, GenerationTaskResult> = new Queue(queueName, {
      connection: clients.client(),
    });
    queue.on('error', () => {});

    const id = planId(plan);
    const pending = new Map<string, GenerationTask>();
    const byId = new Map<string, GenerationTask>();
    for (const task of tasks) byId.set(generationJobId(plan, task), task);
    let fatal: Error | undefined;
    let wake: () => void = () => {};
    let progressAt = Date.now();

    const jobOptions = (jobId: string) => ({
      jobId,
      attempts,
      backoff,
      // Kept long enough for a coordinator that missed the event to read the result in a sweep.
      removeOnComplete: { age: 3600 },
      // Kept for a week, for inspection; the next build that needs the entry queues it afresh.
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    const add = (ids: string[]) =>
      redis(
        queue.addBulk(
          ids.map((jobId) => ({
            name: byId.get(jobId)!.path,
            data: { planId: id, task: byId.get(jobId)! },
            opts: jobOptions(jobId),
          })),
        ),
      );

    const finish = (jobId: string, value: unknown) => {
      const task = pending.get(jobId);
      if (!task) return;
      pending.delete(jobId);
      progressAt = Date.now();
      onResult(resultOf(value, task));
      wake();
    };
    /** A job that finished: its result, or (failed for good) a skip or the build's error. */
    const settle = (jobId: string, job: Job<GenerationJobData> | undefined) => {
      const task = pending.get(jobId);
      if (!task || !job?.finishedOn) return;
      if (job.returnvalue !== null && job.returnvalue !== undefined) {
        finish(jobId, job.returnvalue);
        return;
      }
      const { error, skippable } = jobFailure(
        {
          id: jobId,
          task,
          error: job.data?.error,
          failedReason: job.failedReason,
          attemptsMade: job.attemptsMade,
        },
        queueName,
      );
      pending.delete(jobId);
      progressAt = Date.now();
      if (skippable && onSkip) onSkip({ path: task.path, reason: error.message });
      else fatal ??= error;
      wake();
    };
    /** Reads a bounded batch of pending jobs: finished ones settle, vanished ones are queued again. */
    let cursor = 0;
    const sweep = async () => {
      const ids = [...pending.keys()];
      if (ids.length === 0) return;
      cursor %= ids.length;
      const batch = ids.slice(cursor, cursor + SWEEP_BATCH);
      cursor += batch.length;
      const jobs = await redis(Promise.all(batch.map((jobId) => queue.getJob(jobId))));
      const vanished: string[] = [];
      for (const [i, jobId] of batch.entries()) {
        if (jobs[i]) settle(jobId, jobs[i]);
        // Removed (e.g. its result expired before this build read it): done if its entry is there.
        else if (pending.has(jobId) && (await hasEntry?.(pending.get(jobId)!))) finish(jobId, undefined);
        else vanished.push(jobId);
      }
      if (vanished.length) await add(vanished);
    };

    const abort = () => wake();
    signal?.addEventListener('abort', abort, { once: true });
    let events: QueueEvents | undefined;

    try {
      // Events are read from the end of the stream as it is before any job is queued: none is missed.
      const last = await redis(control.xrevrange(eventsKey(queueName), '+', '-', 'COUNT', 1));
      events = new QueueEvents(queueName, { connection: clients.client(), lastEventId: last[0]?.[0] ?? '0' });
      events.on('error', () => {});
      events.on('completed', ({ jobId, returnvalue }) => finish(jobId, returnvalue));
      events.on('failed', ({ jobId }) => {
        if (!pending.has(jobId)) return;
        queue.getJob(jobId).then(
          (job) => settle(jobId, job),
          () => {}, // the next sweep reads it again
        );
      });
      await redis(control.set(planKey(queueName, id), JSON.stringify(plan), 'EX', PLAN_TTL_SECONDS));
      workersSeen = await redis(queue.getWorkersCount()).catch(() => workersSeen);
      // Queue each task once: jobs still waiting or running (another build's, or an interrupted
      // build's) are awaited as they are. A job that completed since the task list was made counts as
      // done when its entry is there; other finished jobs (failed, or whose entry has gone) run afresh.
      for (const batch of chunks([...byId.keys()], ADD_BATCH)) {
        signal?.throwIfAborted();
        const jobs = await redis(Promise.all(batch.map((jobId) => queue.getJob(jobId))));
        const again: string[] = [];
        for (const [i, jobId] of batch.entries()) {
          const job = jobs[i];
          pending.set(jobId, byId.get(jobId)!);
          if (!job) again.push(jobId);
          else if (job.finishedOn) {
            if (job.returnvalue != null && (await hasEntry?.(byId.get(jobId)!)))
              finish(jobId, job.returnvalue);
            else again.push(jobId);
          }
        }
        const finished = again.filter((jobId) => jobs[batch.indexOf(jobId)]);
        await redis(Promise.all(finished.map((jobId) => queue.remove(jobId).catch(() => 0))));
        if (again.length) await add(again);
      }
      let swept = Date.now();
      let refreshed = Date.now();
      let hinted = false;
      while (pending.size && !fatal) {
        signal?.throwIfAborted();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, SWEEP_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (!pending.size || fatal) break;
        signal?.throwIfAborted();
        const now = Date.now();
        if (now - swept >= SWEEP_MS) {
          swept = now;
          await sweep();
        }
        if (now - refreshed >= 60_000) {
          refreshed = now;
          await redis(control.expire(planKey(queueName, id), PLAN_TTL_SECONDS));
        }
        if (!hinted && now - progressAt >= NO_WORKER_HINT_MS) {
          workersSeen = await redis(queue.getWorkersCount()).catch(() => workersSeen);
          if (workersSeen === 0) {
            hinted = true;
            logger.warn(
              `${pending.size} spectrogram job${pending.size === 1 ? ' waits' : 's wait'} on queue "${queueName}" at ${shown} and no worker is listening; start workers with: spgdataset worker --redis ${shown}${queueName === 'spgdataset' ? '' : ` --queue ${queueName}`}`,
            );
          }
        }
      }
      if (fatal) throw fatal;
    } catch (error) {
      // Jobs nobody has started yet would only waste the workers' time now (another build that
      // waits for one of them queues it again).
      await withTimeout(
        Promise.allSettled([...pending.keys()].map((jobId) => queue.remove(jobId))),
        2000,
        () => new Error('cleanup timed out'),
      ).catch(() => {});
      throw error;
    } finally {
      signal?.removeEventListener('abort', abort);
      await withTimeout(
        Promise.allSettled([events?.close(), queue.close()]),
        5000,
        () => new Error('close timed out'),
      ).catch(() => {});
      clients.disconnectAll();
    }
  }

  return {
    kind: 'scheduler',
    id: BULLMQ_SCHEDULER_ID,
    options: json,
    /** Worker processes seen listening on the queue (checked while a build waits). */
    get concurrency() {
      return workersSeen;
    },
    run,
  };
}

const positiveMs = (what: string) =>
  v.pipe(v.number(`must be ${what}`), v.integer(`must be ${what}`), v.minValue(1, `must be ${what}`));

const optionsSchema = v.strictObject({
  connection: v.pipe(
    v.string('is required: the Redis URL, e.g. "redis://host:6379"'),
    v.minLength(1, 'is required: the Redis URL, e.g. "redis://host:6379"'),
  ),
  queueName: v.optional(v.string('must be a queue name (string)')),
  attempts: v.optional(positiveMs('a whole number >= 1')),
  backoff: v.optional(
    v.strictObject({
      type: v.optional(v.picklist(['exponential', 'fixed'], "must be 'exponential' or 'fixed'")),
      delayMs: v.optional(
        v.pipe(
          v.number('must be milliseconds'),
          v.integer('must be milliseconds'),
          v.minValue(0, 'must be >= 0'),
        ),
      ),
    }),
  ),
  connectTimeoutMs: v.optional(positiveMs('milliseconds >= 1')),
  redisLostTimeoutMs: v.optional(positiveMs('milliseconds >= 1')),
});

/**
 * Registry definition:
 * `{ "use": "scheduler-bullmq/queue", "options": { "connection": "redis://host:6379" } }`.
 */
export const bullmqSchedulerDefinition: PluginDefinition<'scheduler', v.InferOutput<typeof optionsSchema>> = {
  kind: 'scheduler',
  id: BULLMQ_SCHEDULER_ID,
  module: '@spgdataset/scheduler-bullmq',
  schema: optionsSchema,
  create: (o) => bullmqScheduler(o),
};

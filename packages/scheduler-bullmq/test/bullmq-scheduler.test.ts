// The coordinator (bullmqScheduler, in this process) and real worker processes (runBullmqWorker from
// the built package) on a real redis-server: results, retries, skips, dedupe by job id, SIGTERM.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  audioDecodeDecoder,
  cacheKey,
  type GenerationTask,
  type GenerationTaskResult,
  runGenerationTask,
  SpgDecodeError,
  type SpgError,
  SpgExtractorError,
  sincResampler,
} from '@spgdataset/core';
import { fsSource } from '@spgdataset/core/node';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullmqScheduler, generationJobId } from '../src/index';
import { type RedisServer, redisServerAvailable, startRedisServer } from '../src/testing';
import {
  grid,
  installFakes,
  planOf,
  startWorker,
  stopWorkers,
  type WorkerProcess,
  wav,
} from './worker-processes';

const available = redisServerAvailable();
if (!available)
  console.warn(
    'SKIPPED: redis-server is not installed (Debian: apt-get install redis-server; node scripts/setup.mjs --redis).',
  );

const scratch = mkdtempSync(join(tmpdir(), 'spg-bullmq-'));
const audioRoot = join(scratch, 'audio');
const files = Array.from({ length: 12 }, (_, i) => `spk${i % 3}/clip-${String(i).padStart(2, '0')}.wav`);
let redis: RedisServer;
let fakes: Awaited<ReturnType<typeof installFakes>>;
const workers: WorkerProcess[] = [];
let queueCount = 0;

/** A fresh queue name per test, so no test sees another's jobs. */
const queueName = () => `test-${process.pid}-${++queueCount}`;

function tasksOf(paths: readonly string[]): GenerationTask[] {
  return paths.map((path) => {
    const size = readFileSync(join(audioRoot, path)).byteLength;
    return { path, size, changeToken: 'size', length: 16000 };
  });
}

async function work(queue: string, count = 1, extra: Record<string, unknown> = {}) {
  const started = await Promise.all(
    Array.from({ length: count }, () =>
      startWorker({
        connection: redis.url,
        queueName: queue,
        lockDurationMs: 2000,
        stalledIntervalMs: 1000,
        ...extra,
      }),
    ),
  );
  workers.push(...started);
  return started;
}

async function jobOf(queue: string, jobId: string) {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const q = new Queue(queue, { connection });
  try {
    return await q.getJob(jobId);
  } finally {
    await q.close();
    connection.disconnect();
  }
}

beforeAll(async () => {
  if (!available) return;
  for (const [i, path] of files.entries()) {
    mkdirSync(join(audioRoot, path, '..'), { recursive: true });
    // 22.05 kHz, so the resampler is part of every job.
    writeFileSync(join(audioRoot, path), wav(0.5 + (i % 4) * 0.25, 22050, i + 1));
  }
  writeFileSync(join(audioRoot, 'poison.wav'), 'this is not audio, but it is named .wav');
  [redis, fakes] = await Promise.all([startRedisServer(), installFakes()]);
});

afterAll(async () => {
  await stopWorkers(workers);
  await redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!available)('bullmqScheduler with worker processes', () => {
  it('generates every entry once on two workers, byte-identical to runGenerationTask in this process', async () => {
    const queue = queueName();
    const cacheRoot = join(scratch, 'cache-identical');
    const plan = planOf(fakes, audioRoot, cacheRoot);
    const tasks = tasksOf(files);
    const [a, b] = await work(queue, 2);
    const results: GenerationTaskResult[] = [];
    const scheduler = bullmqScheduler({ connection: redis.url, queueName: queue });
    await scheduler.run({ plan, tasks, onResult: (r) => results.push(r) });
    expect(results.map((r) => r.path).sort()).toEqual([...files].sort());
    // Concurrency: the worker processes seen listening when the build started.
    expect(scheduler.concurrency).toBe(2);
    // Both workers took jobs, and no job ran twice.
    const done = [...a!.lines, ...b!.lines].filter((l) => l.startsWith('done '));
    expect(done).toHaveLength(files.length);
    expect(a!.lines.some((l) => l.startsWith('done '))).toBe(true);
    expect(b!.lines.some((l) => l.startsWith('done '))).toBe(true);

    const local = fakes.dirCache(join(scratch, 'cache-local'));
    const parts = {
      source: fsSource(audioRoot, { changeToken: 'size' }),
      decoder: audioDecodeDecoder(),
      resampler: sincResampler(),
      extractor: fakes.energyExtractorDefinition.create({}),
      ...grid,
    };
    for (const task of tasks) {
      const expected = await runGenerationTask(parts, local, plan.featureFingerprint, task);
      expect(results.find((r) => r.path === task.path)).toEqual(expected);
      const key = cacheKey(task, plan.featureFingerprint);
      const name = `${key.path}.${key.variant}.npy`;
      expect(
        readFileSync(join(cacheRoot, name)).equals(readFileSync(join(scratch, 'cache-local', name))),
        name,
      ).toBe(true);
    }
    // Nothing but finished entries: no temporary file left behind.
    const written = readdirSync(cacheRoot, { recursive: true, withFileTypes: true }).filter((f) =>
      f.isFile(),
    );
    expect(written.filter((f) => f.name.endsWith('.npy'))).toHaveLength(files.length);
    expect(written.filter((f) => !f.name.endsWith('.npy'))).toEqual([]);

    // The plan is stored once; each job holds only its id and task, under an id made from the cache key.
    const client = new Redis(redis.url);
    try {
      expect(await client.keys(`bull:${queue}:spg:plan:*`)).toHaveLength(1);
      const jobId = generationJobId(plan, tasks[0]!);
      expect(jobId).toMatch(/^spg-[0-9a-f]{32}$/);
      const data = JSON.parse((await client.hget(`bull:${queue}:${jobId}`, 'data'))!);
      expect(Object.keys(data).sort()).toEqual(['planId', 'task']);
      expect(data.task).toEqual(tasks[0]);
    } finally {
      client.disconnect();
    }
  });

  it('a file that cannot be decoded runs once and goes to onSkip; without onSkip it fails the run naming it', async () => {
    const queue = queueName();
    const plan = planOf(fakes, audioRoot, join(scratch, 'cache-poison'));
    const tasks = tasksOf([files[0]!, 'poison.wav', files[1]!]);
    const [worker] = await work(queue, 1);
    const results: string[] = [];
    const skipped: { path: string; reason: string }[] = [];
    const scheduler = bullmqScheduler({ connection: redis.url, queueName: queue, attempts: 3 });
    await scheduler.run({
      plan,
      tasks,
      onResult: (r) => results.push(r.path),
      onSkip: (s) => skipped.push(s),
    });
    expect(results.sort()).toEqual([files[0], files[1]].sort());
    expect(skipped).toEqual([{ path: 'poison.wav', reason: expect.stringContaining('"poison.wav"') }]);
    const poisonId = generationJobId(plan, tasks[1]!);
    expect((await jobOf(queue, poisonId))!.attemptsMade).toBe(1);
    expect(worker!.lines.filter((l) => l.startsWith('failed poison.wav'))).toEqual([
      expect.stringMatching(/^failed poison\.wav final=true /),
    ]);

    // The same task again, without onSkip: the failed job is queued afresh and fails the run.
    const error = (await scheduler
      .run({ plan, tasks: [tasks[1]!], onResult: () => {} })
      .catch((e: unknown) => e)) as SpgError;
    expect(SpgDecodeError.isInstance(error)).toBe(true);
    expect(error.message).toContain('"poison.wav"');
    expect(worker!.lines.filter((l) => l.startsWith('failed poison.wav'))).toHaveLength(2);
  });

  it('an error that always happens fails the run after `attempts` runs, naming the file, even with onSkip', async () => {
    const queue = queueName();
    const plan = planOf(fakes, audioRoot, join(scratch, 'cache-throw'), { alwaysThrow: true });
    const [task] = tasksOf([files[2]!]);
    const [worker] = await work(queue, 1);
    const started = performance.now();
    const error = (await bullmqScheduler({
      connection: redis.url,
      queueName: queue,
      attempts: 3,
      backoff: { type: 'fixed', delayMs: 100 },
    })
      .run({ plan, tasks: [task!], onResult: () => {}, onSkip: () => {} })
      .catch((e: unknown) => e)) as SpgError;
    expect(SpgExtractorError.isInstance(error)).toBe(true);
    expect(error.message).toContain(files[2]);
    expect(error.message).toContain('alwaysThrow');
    expect((await jobOf(queue, generationJobId(plan, task!)))!.attemptsMade).toBe(3);
    expect(
      worker!.lines.filter((l) => l.startsWith(`failed ${files[2]}`)).map((l) => l.split(' ')[2]),
    ).toEqual(['final=false', 'final=false', 'final=true']);
    // Two backoffs of 100 ms at least.
    expect(performance.now() - started).toBeGreaterThan(200);
  });

  it('two builds asking for the same entries share one job per entry', async () => {
    const queue = queueName();
    const plan = planOf(fakes, audioRoot, join(scratch, 'cache-shared'));
    const tasks = tasksOf(files.slice(0, 6));
    const seen: string[][] = [[], []];
    const scheduler = bullmqScheduler({ connection: redis.url, queueName: queue });
    // Both builds queue before any worker runs, so every job exists once when the worker starts.
    const runs = [0, 1].map((k) => scheduler.run({ plan, tasks, onResult: (r) => seen[k]!.push(r.path) }));
    const client = new Redis(redis.url);
    try {
      for (let i = 0; i < 100 && (await client.llen(`bull:${queue}:wait`)) < tasks.length; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await client.llen(`bull:${queue}:wait`)).toBe(tasks.length);
    } finally {
      client.disconnect();
    }
    const [worker] = await work(queue, 1);
    await Promise.all(runs);
    for (const paths of seen) expect(paths.sort()).toEqual(tasks.map((t) => t.path).sort());
    expect(worker!.lines.filter((l) => l.startsWith('done '))).toHaveLength(tasks.length);
  });

  it('SIGTERM: the worker finishes the job it is running, takes no other, and exits 0', async () => {
    const queue = queueName();
    const long = 'long.wav';
    writeFileSync(join(audioRoot, long), wav(90, 44100, 99));
    const plan = planOf(fakes, audioRoot, join(scratch, 'cache-sigterm'));
    const tasks = tasksOf([long, ...files.slice(0, 3)]);
    const [worker] = await work(queue, 1);
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const events = new QueueEvents(queue, { connection });
    const longId = generationJobId(plan, tasks[0]!);
    const active = new Promise<void>((resolve) =>
      events.on('active', ({ jobId }) => {
        if (jobId === longId) resolve();
      }),
    );
    await events.waitUntilReady();
    const results: string[] = [];
    // The long file first: one worker takes jobs in order.
    const run = bullmqScheduler({ connection: redis.url, queueName: queue }).run({
      plan,
      tasks,
      onResult: (r) => results.push(r.path),
    });
    await active;
    worker!.child.kill('SIGTERM');
    expect(await worker!.exited).toEqual({ code: 0, signal: null });
    expect(worker!.lines.filter((l) => l.startsWith('done '))).toEqual([`done ${long}`]);
    expect((await jobOf(queue, longId))!.finishedOn).toBeGreaterThan(0);
    // The rest waits for another worker.
    await work(queue, 1);
    await run;
    expect(results.sort()).toEqual(tasks.map((t) => t.path).sort());
    await events.close();
    connection.disconnect();
  });

  it("a job whose worker was SIGKILLed is taken over, and the killed run's temporary file removed", async () => {
    const queue = queueName();
    const long = 'long.wav';
    writeFileSync(join(audioRoot, long), wav(90, 44100, 99));
    const cacheRoot = join(scratch, 'cache-takeover');
    const plan = planOf(fakes, audioRoot, cacheRoot);
    const [task] = tasksOf([long]);
    const key = cacheKey(task!, plan.featureFingerprint);
    const entry = join(cacheRoot, `${key.path}.${key.variant}.npy`);
    const [first] = await work(queue, 1, { lockDurationMs: 1000, stalledIntervalMs: 500 });
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const events = new QueueEvents(queue, { connection });
    const jobId = generationJobId(plan, task!);
    const active = new Promise<void>((resolve) =>
      events.on('active', ({ jobId: id }) => {
        if (id === jobId) resolve();
      }),
    );
    await events.waitUntilReady();
    const results: GenerationTaskResult[] = [];
    const run = bullmqScheduler({ connection: redis.url, queueName: queue }).run({
      plan,
      tasks: [task!],
      onResult: (r) => results.push(r),
    });
    await active;
    first!.child.kill('SIGKILL');
    // As if it had died between writing its temporary file and renaming it.
    mkdirSync(cacheRoot, { recursive: true });
    writeFileSync(`${entry}.3735928559`, 'half an entry');
    await work(queue, 1, { lockDurationMs: 1000, stalledIntervalMs: 500 });
    await run;
    expect(results.map((r) => r.path)).toEqual([long]);
    expect(first!.lines.filter((l) => l.startsWith('done '))).toEqual([]);
    expect((await jobOf(queue, jobId))!.stalledCounter).toBe(1);
    expect(readdirSync(cacheRoot)).toEqual([`${key.path}.${key.variant}.npy`]);
    await events.close();
    connection.disconnect();
  });

  it('an aborted run rejects and takes back the jobs nobody started', async () => {
    const queue = queueName();
    const plan = planOf(fakes, audioRoot, join(scratch, 'cache-abort'));
    const tasks = tasksOf(files.slice(0, 4));
    const controller = new AbortController();
    const run = bullmqScheduler({ connection: redis.url, queueName: queue }).run({
      plan,
      tasks,
      onResult: () => {},
      signal: controller.signal,
    });
    const client = new Redis(redis.url);
    try {
      for (let i = 0; i < 100 && (await client.llen(`bull:${queue}:wait`)) < tasks.length; i++)
        await new Promise((r) => setTimeout(r, 50));
      controller.abort(new Error('stop'));
      await expect(run).rejects.toThrow('stop');
      expect(await client.llen(`bull:${queue}:wait`)).toBe(0);
    } finally {
      client.disconnect();
    }
  });
});

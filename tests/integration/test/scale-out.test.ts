// Distributed builds end to end: `spgdataset worker` processes and a coordinator (openSpectrogramDataset
// or `spgdataset build --scheduler bullmq`) on a real redis-server; every result is compared, file by
// file (sha256), with a single-process build of the same corpus copied with other mtimes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from '@spgdataset/scheduler-bullmq/testing';
import { Redis } from 'ioredis';
import { openSpectrogramDataset, SpgDecodeError } from 'spgdataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  copyCorpus,
  longWav,
  type Proc,
  spgdataset,
  startWorker,
  tree,
  writeCorpus,
} from './scale-out-helpers';

const available = redisServerAvailable();
if (!available)
  console.warn(
    'SKIPPED: redis-server is not installed (Debian: apt-get install redis-server; node scripts/setup.mjs --redis).',
  );

const FILES = 104;
const here = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'spg-scale-out-'));
const template = join(scratch, 'template');
let redis: RedisServer;
let reference: { spg: Map<string, string>; index: Map<string, string> };
const running: Proc[] = [];
let roots = 0;
let queues = 0;

/** The dataset options every build here uses (flat options; the CLI gets the same as flags). */
const options = (root: string) => ({
  audioRoot: join(root, 'audio'),
  metadataJsonPath: join(root, 'metadata.json'),
  spectrogramsRoot: join(root, 'spg'),
  indexRoot: join(root, 'index'),
  windowSizeSec: 0.32,
  windowOffsetSec: 0.1,
  outputConfiguration: { masks: ['speech'], label: 'kind' },
  split: [0.8, 0.2],
  extractor: 'wasm' as const,
  changeToken: 'size' as const,
  logger: { info: () => {}, warn: () => {} },
});
const cliFlags = (root: string) => [
  join(root, 'audio'),
  '--metadata',
  join(root, 'metadata.json'),
  '--cache',
  join(root, 'spg'),
  '--index',
  join(root, 'index'),
  '--window-size-sec',
  '0.32',
  '--window-offset-sec',
  '0.1',
  '--masks',
  'speech',
  '--label',
  'kind',
  '--split',
  '0.8,0.2',
  '--extractor',
  'wasm',
  '--change-token',
  'size',
];

function freshRoot(from = template): string {
  const root = join(scratch, `run-${++roots}`);
  copyCorpus(from, root);
  return root;
}
const freshQueue = () => `scale-out-${process.pid}-${++queues}`;

async function workers(queue: string, n: number): Promise<Proc[]> {
  const started = await Promise.all(Array.from({ length: n }, () => startWorker(redis.url, queue, here)));
  running.push(...started);
  return started;
}

function stop(procs: Proc[]) {
  for (const p of procs) p.kill('SIGKILL');
  return Promise.all(procs.map((p) => p.exited));
}

const bullmq = (queue: string) => ({
  use: 'scheduler-bullmq/queue',
  options: { connection: redis.url, queueName: queue },
});

/** Finished entries and anything else (temporary files of killed writes) under a cache folder. */
function cacheFiles(root: string) {
  const files = [...tree(join(root, 'spg')).keys()];
  return {
    entries: files.filter((f) => f.endsWith('.npy')),
    others: files.filter((f) => !f.endsWith('.npy')),
  };
}

function expectReference(root: string) {
  expect(cacheFiles(root).others).toEqual([]);
  const spg = tree(join(root, 'spg'));
  expect([...spg.keys()]).toEqual([...reference.spg.keys()]);
  expect([...spg].filter(([f, h]) => reference.spg.get(f) !== h).map(([f]) => f)).toEqual([]);
  expect(tree(join(root, 'index'))).toEqual(reference.index);
}

/** Jobs of `queue` taken over from a dead worker (BullMQ's stalled counter). */
async function recoveredJobs(queue: string): Promise<number> {
  const client = new Redis(redis.url);
  try {
    const ids = await client.zrange(`bull:${queue}:completed`, 0, -1);
    const counters = await Promise.all(ids.map((id) => client.hget(`bull:${queue}:${id}`, 'stc')));
    return counters.filter((c) => Number(c) > 0).length;
  } finally {
    client.disconnect();
  }
}

beforeAll(async () => {
  if (!available) return;
  writeCorpus(template, FILES);
  redis = await startRedisServer();
  const root = freshRoot();
  await openSpectrogramDataset({ ...options(root), numWorkers: 0 });
  reference = { spg: tree(join(root, 'spg')), index: tree(join(root, 'index')) };
});

afterAll(async () => {
  await stop(running);
  await redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!available)('distributed builds (BullMQ + Redis)', () => {
  it(`three worker processes build ${FILES} files: cache and index byte-identical to a single-process build`, async () => {
    expect(reference.spg.size).toBe(FILES);
    const queue = freshQueue();
    const three = await workers(queue, 3);
    const root = freshRoot();
    let generated = 0;
    const ds = await openSpectrogramDataset({
      ...options(root),
      scheduler: bullmq(queue),
      onProgress: (e) => {
        if (e.phase === 'generate') generated = e.done;
      },
    });
    expectReference(root);
    // One progress over every worker; each file generated once; the work was shared.
    expect(generated).toBe(FILES);
    expect(ds.report().spectrograms.generated).toBe(FILES);
    expect(three.reduce((n, w) => n + w.count('done '), 0)).toBe(FILES);
    for (const w of three) expect(w.count('done ')).toBeGreaterThan(0);
    await stop(three);
  });

  describe('SIGKILL one worker mid-job', () => {
    // One queue and three workers for every round; a killed worker is replaced before the next round.
    const queue = `kills-${process.pid}`;
    const three: Proc[] = [];
    beforeAll(async () => {
      if (available) three.push(...(await workers(queue, 3)));
    });
    afterAll(() => stop(three));

    /** One build with worker `victim` SIGKILLed when `kill` says; returns what happened. */
    async function round(kill: () => Promise<number>) {
      const root = freshRoot();
      const each = three.map((w) => w.count('done '));
      const before = each.reduce((a, b) => a + b, 0);
      const build = openSpectrogramDataset({ ...options(root), scheduler: bullmq(queue) });
      const victim = await kill();
      const killed = three[victim]!;
      const ds = await build;
      expectReference(root);
      expect(ds.report().spectrograms.generated).toBe(FILES);
      const runs = three.reduce((n, w) => n + w.count('done '), 0) - before;
      three[victim] = (await workers(queue, 1))[0]!;
      return {
        victim,
        runs,
        killedAfter: killed.count('done ') - each[victim]!,
        signal: killed.child.signalCode,
      };
    }

    it('after its k-th job (k = 1, 10, 25): the build completes with the same bytes and no temporary file', async () => {
      for (const k of [1, 10, 25]) {
        const recoveredBefore = await recoveredJobs(queue);
        // The first worker to finish its k-th job of this build is killed (the jobs are shared
        // unevenly, but someone does at least a third of the 104).
        const { runs } = await round(async () => {
          const base = three.map((w) => w.count('done '));
          const victim = await Promise.race(
            three.map((w, i) => w.until('done ', base[i]! + k).then(() => i)),
          );
          three[victim]!.kill('SIGKILL');
          return victim;
        });
        // The killed worker held a job (it takes the next as it finishes one): another took it over.
        const recovered = (await recoveredJobs(queue)) - recoveredBefore;
        expect(recovered).toBeGreaterThanOrEqual(1);
        console.log(`kill after job ${k}: ${runs - FILES} job(s) ran twice, ${recovered} taken over`);
      }
    });

    it('at random times while generating: the build completes with the same bytes and no temporary file', async () => {
      const rounds: string[] = [];
      for (const victim of [0, 1, 2]) {
        const delay = Math.random() * 600;
        const result = await round(async () => {
          // From the first finished job of any worker, so the kill lands while jobs run.
          await Promise.race(three.map((w) => w.until('done ', w.count('done ') + 1)));
          await new Promise((r) => setTimeout(r, delay));
          three[victim]!.kill('SIGKILL');
          return victim;
        });
        rounds.push(
          `${delay.toFixed(0)} ms after the first job: worker ${victim} ${result.signal ?? 'still running'} after ${result.killedAfter} jobs; ${result.runs - FILES} job(s) ran twice`,
        );
      }
      console.log(`random worker kills:\n  ${rounds.join('\n  ')}`);
    });
  });

  it('SIGKILL the coordinator and every worker; after a restart only the missing entries are generated', async () => {
    const queue = freshQueue();
    const root = freshRoot();
    const first = await workers(queue, 3);
    const coordinator = spgdataset(
      ['build', ...cliFlags(root), '--scheduler', 'bullmq', '--redis', redis.url, '--queue', queue],
      here,
    );
    await Promise.all(first.map((w) => w.until('done ', 8)));
    coordinator.kill('SIGKILL');
    await stop(first);
    expect((await coordinator.exited).signal).toBe('SIGKILL');
    const kept = cacheFiles(root).entries.length;
    expect(kept).toBeGreaterThanOrEqual(24);
    expect(kept).toBeLessThan(FILES);

    // The restart gives the scheduler through a --config file.
    writeFileSync(join(root, 'distributed.json'), JSON.stringify({ scheduler: bullmq(queue) }));
    const second = await workers(queue, 3);
    const again = spgdataset(['build', ...cliFlags(root), '--config', join(root, 'distributed.json')], here);
    expect((await again.exited).code, again.output()).toBe(0);
    expectReference(root);
    // Only the missing entries were generated: by the new workers, plus at most the jobs the killed
    // workers held (one each) if their entries were written just before the kill. (The new workers
    // start on the first build's queued jobs before the new coordinator looks, so the coordinator
    // may find a few of them already done: its two counts add up to every file.)
    const runs = second.reduce((n, w) => n + w.count('done '), 0);
    expect(runs).toBeGreaterThanOrEqual(FILES - kept);
    expect(runs).toBeLessThanOrEqual(FILES - kept + 3);
    const [, generated, cached] = /spectrograms +(\d+) generated, (\d+) already cached/.exec(again.output())!;
    expect(Number(generated) + Number(cached)).toBe(FILES);
    expect(Number(cached)).toBeGreaterThanOrEqual(kept);
    console.log(
      `coordinator + workers killed with ${kept}/${FILES} entries written; restart: ${runs} jobs run, coordinator counted ${generated} generated and ${cached} cached`,
    );
    await stop(second);
  });

  it('spgdataset worker: Ctrl-C once finishes the running job and exits 0; twice stops at once (exit 130)', async () => {
    const root = join(scratch, 'signals');
    writeCorpus(root, 3);
    // The first file in path order is long, so the first job runs for a while.
    writeFileSync(join(root, 'audio', 'a-long.wav'), longWav(60));
    writeFileSync(
      join(root, 'metadata.json'),
      JSON.stringify({
        ...JSON.parse(readFileSync(join(root, 'metadata.json'), 'utf8')),
        'a-long.wav': {
          length: 60 * 16000,
          intervals: { speech: [[0, 16000]] },
          metadata: { kind: 'speech' },
        },
      }),
    );
    const queue = freshQueue();
    const client = new Redis(redis.url);
    /** Resolves once `worker` runs the long file's job (BullMQ records the worker, host:pid, on it). */
    const busy = async (worker: Proc) => {
      for (;;) {
        const active = await client.lrange(`bull:${queue}:active`, 0, -1);
        const jobs = await Promise.all(active.map((id) => client.hmget(`bull:${queue}:${id}`, 'name', 'pb')));
        if (jobs.some(([name, pb]) => name === 'a-long.wav' && pb === `${hostname()}:${worker.child.pid}`))
          return;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      const [first] = await workers(queue, 1);
      const build = openSpectrogramDataset({ ...options(root), scheduler: bullmq(queue) });
      await busy(first!);
      first!.kill('SIGINT');
      // A second Ctrl-C once the first was taken (two signals sent at once may arrive as one).
      while (!first!.output().includes('stopping: finishing')) await new Promise((r) => setTimeout(r, 10));
      first!.kill('SIGINT');
      const stopped = performance.now();
      expect((await first!.exited).code).toBe(130);
      expect(performance.now() - stopped).toBeLessThan(1000);
      expect(first!.count('done ')).toBe(0);
      expect(first!.output()).toContain('stopped at once');

      // The next worker runs the three short jobs and takes the long one over once its lock has
      // expired; Ctrl-C once lets it finish that job.
      const [second] = await workers(queue, 1);
      await busy(second!);
      second!.kill('SIGINT');
      expect((await second!.exited).code).toBe(0);
      expect(second!.output()).toContain('stopping: finishing the running jobs');
      expect(second!.lines.filter((l) => l.startsWith('done ')).at(-1)).toMatch(/^done +a-long\.wav /);
      // Whatever is left (nothing, unless the long job came before a short one) goes to a third worker.
      await workers(queue, 1);
      expect((await build).report().spectrograms.generated).toBe(4);
    } finally {
      client.disconnect();
    }
  });

  it("onError 'skip': a file the workers cannot decode is left out exactly as in-thread skipping leaves it; 'throw' names it", async () => {
    const poisoned = join(scratch, 'poisoned');
    writeCorpus(poisoned, 12, true);
    const inThread = freshRoot(poisoned);
    const here_ = await openSpectrogramDataset({ ...options(inThread), onError: 'skip' });
    const queue = freshQueue();
    const two = await workers(queue, 2);
    const root = freshRoot(poisoned);
    const there = await openSpectrogramDataset({
      ...options(root),
      onError: 'skip',
      scheduler: bullmq(queue),
    });
    expect(here_.report().skipped.map((s) => s.path)).toEqual(['spk0/poison.wav']);
    expect(there.report().skipped).toEqual(here_.report().skipped);
    expect(there.length).toBe(here_.length);
    expect(tree(join(root, 'index'))).toEqual(tree(join(inThread, 'index')));
    expect(tree(join(root, 'spg'))).toEqual(tree(join(inThread, 'spg')));
    // The poison file ran once (a decode error is not retried).
    expect(two.reduce((n, w) => n + w.lines.filter((l) => l.includes('poison.wav')).length, 0)).toBe(0);
    expect(
      two.reduce((n, w) => n + (w.output().match(/failed +spk0\/poison\.wav.*\(final\)/g) ?? []).length, 0),
    ).toBe(1);

    const error = await openSpectrogramDataset({
      ...options(freshRoot(poisoned)),
      scheduler: bullmq(queue),
    }).catch((e: unknown) => e);
    expect(SpgDecodeError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('spk0/poison.wav');
    await stop(two);
  });
});

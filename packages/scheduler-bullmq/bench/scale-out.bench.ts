/**
 * Distributed generation on one machine, in one run: the whole `spgdataset build` of a WAV corpus
 * with the in-process worker-threads scheduler (--workers 1, 2) and with BullMQ worker processes
 * (1 and 2 `spgdataset worker --concurrency 1`), plus the jobs/s BullMQ itself sustains with a no-op
 * job (the engine's ceiling) on the same Redis.
 * Run: `pnpm --filter @spgdataset/scheduler-bullmq bench` (needs `pnpm build` and redis-server).
 * Options (env): BENCH_FILES (24), BENCH_SECONDS per file (30, at 22.05 kHz: resampled to 16 kHz),
 * BENCH_ROUNDS (3, median; each round runs every build, in a rotating order, after a warm-up round),
 * BENCH_NOOP_JOBS (3000).
 * 'cores busy' = CPU seconds of the build's processes (coordinator + workers, threads included) per
 * wall second: below 2 on this 2-core machine means other work held the cores.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chirpWav } from '../../../scripts/test-wav.mjs';
import { startRedisServer } from '../src/testing';

const FILES = Number(process.env.BENCH_FILES ?? 24);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const NOOP_JOBS = Number(process.env.BENCH_NOOP_JOBS ?? 3000);
const RATE = 22050;
const cli = fileURLToPath(new URL('../../spgdataset/dist/cli.js', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const TICKS = 100; // clock ticks per second in /proc/<pid>/stat (USER_HZ on Linux)

/** Fields of /proc/<pid>/stat after the command name (Linux; empty elsewhere). */
function stat(pid: number | 'self'): string[] {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return [];
  }
}
/** CPU seconds a running process has used so far (all its threads). */
const cpuOf = (pid: number) => {
  const f = stat(pid);
  return (Number(f[11] ?? 0) + Number(f[12] ?? 0)) / TICKS;
};
/** CPU seconds of this process's finished (waited-for) children. */
const childrenCpu = () => {
  const f = stat('self');
  return (Number(f[13] ?? 0) + Number(f[14] ?? 0)) / TICKS;
};

function hashes(dir: string): string {
  const h = createHash('sha256');
  for (const f of (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.npy'))
    .sort())
    h.update(f).update(readFileSync(join(dir, f)));
  return h.digest('hex');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function startWorker(url: string, queue: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [cli, 'worker', '--redis', url, '--queue', queue, '--concurrency', '1'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (/at once from queue/.test(err)) resolve(child);
    });
    child.on('exit', () => reject(new Error(`worker exited:\n${err}`)));
  });
}

/** One `spgdataset build` (fresh cache and index): wall seconds, CPU seconds of it and `workers`. */
function build(audio: string, out: string, flags: string[], workers: number[]) {
  const before = workers.reduce((s, pid) => s + cpuOf(pid), 0);
  const children = childrenCpu();
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [
      cli,
      'build',
      audio,
      '--cache',
      join(out, 'spg'),
      '--index',
      join(out, 'index'),
      '--change-token',
      'size',
      ...flags,
    ],
    { stdio: 'ignore' },
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = childrenCpu() - children + workers.reduce((s, pid) => s + cpuOf(pid), 0) - before;
  return { wall, cpu };
}

/** jobs/s of BullMQ alone: `jobs` no-op jobs through `processes` worker processes of `concurrency`. */
async function noop(url: string, processes: number, concurrency: number, jobs: number): Promise<number> {
  const queue = `noop-${processes}x${concurrency}-${process.pid}`;
  const script = join(here, 'noop-worker.mjs');
  const workers = await Promise.all(
    Array.from(
      { length: processes },
      () =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = spawn(process.execPath, [script, url, queue, String(concurrency)], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          child.stdout!.once('data', () => resolve(child));
          child.on('exit', (code) => reject(new Error(`no-op worker exited ${code}`)));
        }),
    ),
  );
  const { Queue, QueueEvents } = await import('bullmq');
  const { Redis } = await import('ioredis');
  const connections = [0, 1].map(() => new Redis(url, { maxRetriesPerRequest: null }));
  const q = new Queue(queue, { connection: connections[0]! });
  const events = new QueueEvents(queue, { connection: connections[1]! });
  await events.waitUntilReady();
  let done = 0;
  const finished = new Promise<void>((resolve) =>
    events.on('completed', () => {
      if (++done === jobs) resolve();
    }),
  );
  const t0 = performance.now();
  // The same job options as the scheduler's.
  for (let i = 0; i < jobs; i += 500)
    await q.addBulk(
      Array.from({ length: Math.min(500, jobs - i) }, (_, k) => ({
        name: 'noop',
        data: { planId: 'x', task: { path: `f${i + k}.wav`, size: 1, changeToken: 'size', length: 1 } },
        opts: {
          jobId: `spg-${i + k}`,
          attempts: 3,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 604800 },
        },
      })),
    );
  await finished;
  const rate = jobs / ((performance.now() - t0) / 1000);
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all([events.close(), q.close()]);
  for (const c of connections) c.disconnect();
  return rate;
}

async function main() {
  const redis = await startRedisServer();
  const audio = mkdtempSync(join(tmpdir(), 'spg-scale-bench-audio-'));
  const scratch = mkdtempSync(join(tmpdir(), 'spg-scale-bench-out-'));
  const workers: ChildProcess[] = [];
  try {
    for (let f = 0; f < FILES; f++)
      writeFileSync(join(audio, `clip-${String(f).padStart(3, '0')}.wav`), chirpWav(SECONDS, RATE, f + 1));
    // Two queues: one served by one worker process, one by two; idle workers wait in Redis at no cost.
    const one = `bench-one-${process.pid}`;
    const two = `bench-two-${process.pid}`;
    workers.push(
      await startWorker(redis.url, one),
      await startWorker(redis.url, two),
      await startWorker(redis.url, two),
    );
    const bullmq = (queue: string) => ['--scheduler', 'bullmq', '--redis', redis.url, '--queue', queue];
    const configs: { name: string; flags: string[]; pids: number[] }[] = [
      { name: 'threads --workers 1', flags: ['--workers', '1'], pids: [] },
      { name: 'threads --workers 2', flags: ['--workers', '2'], pids: [] },
      // Redis's own CPU counts for the BullMQ builds.
      { name: 'bullmq, 1 worker process', flags: bullmq(one), pids: [workers[0]!.pid!, redis.pid] },
      {
        name: 'bullmq, 2 worker processes',
        flags: bullmq(two),
        pids: [workers[1]!.pid!, workers[2]!.pid!, redis.pid],
      },
    ];
    const samples = new Map(
      configs.map((c) => [c.name, { walls: [] as number[], cpus: [] as number[], digest: '' }]),
    );
    // Rounds interleave the builds (in a rotating order), so load from other work spreads over all of them.
    for (let r = 0; r <= ROUNDS; r++) {
      for (let k = 0; k < configs.length; k++) {
        const config = configs[(k + r) % configs.length]!;
        const sample = samples.get(config.name)!;
        const out = join(scratch, `${config.name.replace(/\W+/g, '-')}-${r}`);
        const { wall, cpu } = build(audio, out, config.flags, config.pids);
        if (r > 0) {
          // Round 0 warms up (JIT, WASM compile, page cache, the workers' plugins).
          sample.walls.push(wall);
          sample.cpus.push(cpu);
        }
        if (r === ROUNDS) sample.digest = hashes(join(out, 'spg'));
        rmSync(out, { recursive: true, force: true });
      }
    }
    const results = new Map<string, { wall: number; busy: number; cpu: number; digest: string }>();
    for (const [name, { walls, cpus, digest }] of samples) {
      results.set(name, {
        wall: median(walls),
        cpu: median(cpus),
        busy: median(walls.map((w, i) => cpus[i]! / w)),
        digest,
      });
      console.error(`${name}: ${walls.map((w) => w.toFixed(2)).join(', ')} s`);
    }
    for (const w of workers.splice(0)) w.kill('SIGTERM');
    const noops = [
      ['no-op jobs, 2 processes x concurrency 1', await noop(redis.url, 2, 1, NOOP_JOBS)],
      ['no-op jobs, 2 processes x concurrency 16', await noop(redis.url, 2, 16, NOOP_JOBS)],
    ] as const;

    const hours = (FILES * SECONDS) / 3600;
    const reference = results.get('threads --workers 1')!.digest;
    const row = (name: string, versus?: string, label?: string) => {
      const r = results.get(name)!;
      const other = versus ? results.get(versus)! : undefined;
      return [
        name,
        `${r.wall.toFixed(2)} s`,
        `${((hours * 3600) / r.wall).toFixed(0)}x`,
        `${r.cpu.toFixed(2)} s`,
        r.busy.toFixed(2),
        other ? `${label} ${(other.wall / r.wall).toFixed(2)}x` : '',
        r.digest === reference ? 'identical' : 'DIFFERENT',
      ];
    };
    const rows = [
      row('threads --workers 1'),
      row('threads --workers 2', 'threads --workers 1', 'vs 1 thread:'),
      row('bullmq, 1 worker process', 'threads --workers 1', 'vs 1 thread:'),
      row('bullmq, 2 worker processes', 'bullmq, 1 worker process', 'vs 1 process:'),
    ];
    const b2 = results.get('bullmq, 2 worker processes')!.wall;
    const t2 = results.get('threads --workers 2')!.wall;
    console.log(
      `\nScale-out bench: ${FILES} mono 16-bit WAVs x ${SECONDS} s at 22.05 kHz -> 16 kHz, dsp-wasm, whole \`spgdataset build\` (fresh cache), ${ROUNDS} rounds (median) after a warm-up, Node ${process.version}\n`,
    );
    const head = ['build', 'wall', 'x real time', 'CPU', 'cores busy', 'speedup', '.npy bytes vs threads 1'];
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (r: string[]) => `| ${r.map((x, c) => x.padEnd(widths[c]!)).join(' | ')} |`;
    console.log(line(head));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rows) console.log(line(r));
    const c2 = results.get('bullmq, 2 worker processes')!.cpu;
    const ct = results.get('threads --workers 2')!.cpu;
    console.log(
      `\nBullMQ overhead vs worker threads at the same parallelism (2): wall ${(((b2 - t2) / t2) * 100).toFixed(1)}%, CPU ${(((c2 - ct) / ct) * 100).toFixed(1)}% (target <= 10%)`,
    );
    for (const [name, rate] of noops)
      console.log(`${name}: ${rate.toFixed(0)} jobs/s (engine ceiling, same Redis)`);
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await redis.stop();
    rmSync(audio, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();

/**
 * Long recordings in bounded memory: peak RSS and seconds per hour of audio building one-minute files,
 * a 1-hour and a 10-hour 16 kHz mono WAV, and a 2-hour 48 kHz stereo FLAC, with numWorkers 0 and 2;
 * then random `get` over the 10-hour file with maxMemoryCache 64 against the one-minute corpus.
 * Every build and serving run is its own child process (so its peak RSS is its own: `maxRSS` of
 * `process.resourceUsage()`, worker threads included). Files are written to a temporary folder
 * (the 10-hour WAV is 1.15 GB); the FLAC is encoded by the `flac`/ffmpeg CLI (skipped without it).
 * Run: `pnpm --filter @spgdataset/integration-tests bench` (needs built packages), or alone:
 * `cd tests/integration && node --import tsx bench/long.bench.ts`.
 * Env: BENCH_LONG_HOURS (10: the long WAV; the middle one is min(1, this)), BENCH_LONG_FLAC_HOURS
 * (2), BENCH_LONG_MINUTES (60: one-minute files in the corpus), BENCH_LONG_GETS (3000 random gets).
 * Times are indicative: the machine is shared. On Linux the build also reports CPU seconds per thread
 * (/proc/self/task): the busiest thread's, per hour of audio, is what the time per hour comes to on
 * free cores, so it compares one long file with one-minute files even when other work takes cores.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pcm16WavHeader, xorshiftNoise } from '../../../scripts/test-wav.mjs';
import { loadLine, table, writeWavCorpus } from './bench-kit';

const HOURS = Number(process.env.BENCH_LONG_HOURS ?? 10);
const FLAC_HOURS = Number(process.env.BENCH_LONG_FLAC_HOURS ?? 2);
const MINUTES = Number(process.env.BENCH_LONG_MINUTES ?? 60);
const GETS = Number(process.env.BENCH_LONG_GETS ?? 3000);

const here = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'spg-bench-long-'));
// Inside tests/integration so the child resolves `spgdataset` through this package's node_modules.
const childDir = mkdtempSync(join(here, 'node_modules', '.spg-bench-long-'));
const childScript = join(childDir, 'child.mjs');

/** Writes a 16-bit mono WAV of `seconds` (the benches' chirp plus noise) a second at a time. */
function writeLongWav(path: string, seconds: number, rate: number): true {
  const n = Math.round(seconds * rate);
  const fd = openSync(path, 'w');
  const header = pcm16WavHeader(n, rate);
  writeSync(fd, header);
  const noise = xorshiftNoise(11);
  // Little-endian hosts (every platform Node runs on in practice) write the samples as they are.
  const block = new Int16Array(rate);
  for (let at = 0; at < n; at += rate) {
    const count = Math.min(rate, n - at);
    for (let i = 0; i < count; i++) {
      const t = (at + i) / rate;
      const x = 0.3 * Math.sin(2 * Math.PI * (200 + 400 * (t % 2)) * t) + 0.1 * noise();
      block[i] = Math.round(32767 * x);
    }
    writeSync(fd, new Uint8Array(block.buffer, 0, 2 * count));
  }
  closeSync(fd);
  return true;
}

/** A 48 kHz stereo FLAC of `seconds` (a tone left, noise right) by ffmpeg; false without ffmpeg. */
function writeFlac(path: string, seconds: number): boolean {
  const run = spawnSync(
    'ffmpeg',
    [
      ...['-v', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
      ...['-f', 'lavfi', '-i', `anoisesrc=r=48000:a=0.05:d=${seconds}`],
      ...['-filter_complex', 'amerge=inputs=2', '-c:a', 'flac', path],
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return run.status === 0;
}

interface ChildResult {
  seconds: number;
  rssMb: number;
  items: number;
  getsPerSecond?: number;
  /** CPU seconds of the busiest thread while building (Linux: /proc/self/task), else absent. */
  busiestCpu?: number;
  /** CPU seconds of all threads while building (Linux), else absent. */
  totalCpu?: number;
}

/** Runs one build (or build + random gets) in its own process; its peak RSS is the child's own. */
function child(corpus: string, mode: { numWorkers: number; gets?: number }): ChildResult {
  const run = spawnSync(
    process.execPath,
    [childScript, JSON.stringify({ root: corpus, numWorkers: mode.numWorkers, gets: mode.gets ?? 0 })],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 2 ** 20 },
  );
  if (run.status !== 0) throw new Error(`bench child failed on ${corpus}: status ${run.status}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

writeFileSync(
  childScript,
  `import { openSpectrogramDataset } from 'spgdataset';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const { root, numWorkers, gets } = JSON.parse(process.argv[2]);
// CPU seconds per thread (utime + stime in clock ticks of 1/100 s), polled: what a build costs each
// thread whatever else loads the machine. The busiest thread bounds the time on free cores.
const threadCpu = new Map();
const pollThreads = () => {
  let tasks;
  try { tasks = readdirSync('/proc/self/task'); } catch { return; }
  for (const tid of tasks) {
    try {
      const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threadCpu.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {}
  }
};
const polling = setInterval(pollThreads, 50);
const options = {
  audioRoot: join(root, 'audio'),
  // Serving reopens what the numWorkers 0 build wrote.
  spectrogramsRoot: join(root, 'spg-' + numWorkers),
  indexRoot: join(root, 'index-' + numWorkers),
  numWorkers,
  logger: { info() {}, warn() {} },
  ...(gets && { maxMemoryCache: 64 }),
};
// What the threads spent before the build (importing) is not the build's.
pollThreads();
const before = new Map(threadCpu);
let started = performance.now();
const ds = await openSpectrogramDataset(options);
let seconds = (performance.now() - started) / 1000;
pollThreads();
clearInterval(polling);
const cpus = [...threadCpu].map(([tid, cpu]) => cpu - (before.get(tid) ?? 0));
const busiestCpu = cpus.length ? Math.max(...cpus) : undefined;
const totalCpu = cpus.length ? cpus.reduce((a, b) => a + b, 0) : undefined;
let getsPerSecond;
if (gets) {
  // Random items (a fixed xorshift sequence), after the dataset is open (built before).
  let state = 12345;
  const next = () => { state ^= state << 13; state ^= state >>> 17; state ^= state << 5; return (state >>> 0) % ds.length; };
  for (let i = 0; i < 50; i++) await ds.get(next());
  started = performance.now();
  for (let i = 0; i < gets; i++) await ds.get(next());
  getsPerSecond = gets / ((performance.now() - started) / 1000);
}
await ds.close?.();
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ seconds, rssMb, items: ds.length, getsPerSecond, busiestCpu, totalCpu }));
`,
);

try {
  const corpora: { label: string; hours: number; root: string; rate: string; format: string }[] = [];
  const add = (label: string, hours: number, rate: string, write: (audio: string) => boolean) => {
    const format = label.includes('FLAC') ? 'flac' : 'wav';
    const root = join(scratch, label.replace(/[^a-z0-9]+/gi, '-'));
    mkdirSync(join(root, 'audio'), { recursive: true });
    const started = performance.now();
    if (!write(join(root, 'audio'))) {
      console.log(`${label}: skipped (ffmpeg could not write the FLAC; install ffmpeg)`);
      return;
    }
    console.error(`wrote ${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    corpora.push({ label, hours, root, rate, format });
  };
  add(
    `${MINUTES} x 1-min WAV`,
    MINUTES / 60,
    '16 kHz mono',
    (audio) => writeWavCorpus(audio, MINUTES, 60, 16000).length > 0,
  );
  const middle = Math.min(1, HOURS);
  add(`${middle} h WAV`, middle, '16 kHz mono', (audio) =>
    writeLongWav(join(audio, 'long.wav'), middle * 3600, 16000),
  );
  if (HOURS !== middle)
    add(`${HOURS} h WAV`, HOURS, '16 kHz mono', (audio) =>
      writeLongWav(join(audio, 'long.wav'), HOURS * 3600, 16000),
    );
  const flacMinutes = Math.min(MINUTES, 20);
  add(`${flacMinutes} x 1-min FLAC`, flacMinutes / 60, '48 kHz stereo', (audio) => {
    for (let f = 0; f < flacMinutes; f++)
      if (!writeFlac(join(audio, `clip-${String(f).padStart(3, '0')}.flac`), 60)) return false;
    return true;
  });
  add(`${FLAC_HOURS} h FLAC`, FLAC_HOURS, '48 kHz stereo', (audio) =>
    writeFlac(join(audio, 'long.flac'), FLAC_HOURS * 3600),
  );

  const rows: string[][] = [];
  // Seconds per hour of the one-minute files of the same format, per numWorkers (wall, busiest thread).
  const base = new Map<string, number>();
  const busiestBase = new Map<string, number>();
  for (const corpus of corpora) {
    for (const numWorkers of [0, 2]) {
      const r = child(corpus.root, { numWorkers });
      const perHour = r.seconds / corpus.hours;
      const busiestPerHour = r.busiestCpu === undefined ? undefined : r.busiestCpu / corpus.hours;
      const baseKey = `${corpus.format} ${numWorkers}`;
      if (corpus.label.includes('1-min')) {
        base.set(baseKey, perHour);
        if (busiestPerHour !== undefined) busiestBase.set(baseKey, busiestPerHour);
      }
      rows.push([
        corpus.label,
        corpus.rate,
        String(numWorkers),
        r.rssMb.toFixed(0),
        r.seconds.toFixed(1),
        perHour.toFixed(1),
        base.has(baseKey) ? `${(perHour / base.get(baseKey)!).toFixed(2)}x` : '-',
        r.totalCpu === undefined ? '-' : (r.totalCpu / corpus.hours).toFixed(1),
        busiestPerHour === undefined ? '-' : busiestPerHour.toFixed(1),
        busiestPerHour !== undefined && busiestBase.has(baseKey)
          ? `${(busiestPerHour / busiestBase.get(baseKey)!).toFixed(2)}x`
          : '-',
      ]);
      console.error(
        `${corpus.label}, numWorkers ${numWorkers}: ${r.seconds.toFixed(1)} s, ${r.rssMb.toFixed(0)} MB`,
      );
    }
  }
  console.log('\n## Building: peak RSS and seconds per hour of audio\n');
  console.log(
    'CPU columns (Linux): CPU time per hour of audio summed over the threads, and of the busiest thread, which bounds\nthe time per hour on free cores (wall times here include waiting for cores other work takes).\n',
  );
  console.log(
    table(
      [
        'corpus',
        'audio',
        'numWorkers',
        'peak RSS (MB)',
        'seconds',
        's / hour of audio',
        'vs 1-min files (same format)',
        'CPU s / hour, all threads',
        'CPU s / hour, busiest thread',
        'busiest thread vs 1-min files',
      ],
      rows,
    ),
  );

  // Random get over the longest WAV vs the one-minute corpus, maxMemoryCache 64, both built above.
  const longest = corpora.filter((c) => c.label.includes('WAV')).at(-1)!;
  const serving = [corpora[0]!, longest].map((corpus) => {
    const r = child(corpus.root, { numWorkers: 0, gets: GETS });
    return { corpus, r };
  });
  const minutes = serving[0]!;
  console.log(`\n## Random get (${GETS} items, maxMemoryCache 64)\n`);
  console.log(
    table(
      ['corpus', 'items', 'gets / s', 'peak RSS (MB, open + gets)', 'rate vs 1-min files'],
      serving.map(({ corpus, r }) => [
        corpus.label,
        String(r.items),
        r.getsPerSecond!.toFixed(0),
        r.rssMb.toFixed(0),
        `${(r.getsPerSecond! / minutes.r.getsPerSecond!).toFixed(2)}`,
      ]),
    ),
  );
  console.log(`\n${loadLine()}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(childDir, { recursive: true, force: true });
}

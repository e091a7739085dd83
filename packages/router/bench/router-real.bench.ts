// Router get overhead over REAL SpectrogramDatasets (acceptance: < 2% with 1,000 members). Each member
// is a real dataset (index, MemoryCache, window copy, speech mask, label) over one in-memory file, so a
// direct get costs what it costs users. Direct `member.get(local)` and `router.get(global)` visit the
// same (member, local) sequence, block by block in all six orders of three ways (the third way repeats
// the direct one, as a control); the table gives the median of per-block time ratios with a 95%
// interval; six runs in fresh processes and their mean. Run: `pnpm --filter @spgdataset/router bench`
// (quieter: prefix `taskset -c 0`; SPG_ROUTER_BENCH_RUNS=n for another number of runs).
import { spawnSync } from 'node:child_process';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import {
  type AudioDecoder,
  bytesMetadata,
  createDataset,
  type FeatureExtractor,
  fingerprint,
  mapSource,
  type Resampler,
  resolveMelParams,
  type SpectrogramDataset,
} from '@spgdataset/core';
import { SpectrogramDatasetRouter } from '../src/index';

const MEMBERS = 1000;
const RATE = 16000;
const SAMPLES = 3 * RATE; // 3 s per member: 11 windows of the default 1.92 s every 0.1 s
const GETS = 4000;
const BLOCK = 200;
const ROUNDS = 31;
const WARMUP_ROUNDS = 2;
const RUNS = Number(process.env.SPG_ROUTER_BENCH_RUNS ?? 6);
/** The six orders of the three ways, taken in turn: each way runs first, second and third, after each other way, equally often. */
const ORDERS = [
  [0, 1, 2],
  [1, 2, 0],
  [2, 0, 1],
  [0, 2, 1],
  [2, 1, 0],
  [1, 0, 2],
];

// Raw float32 bytes in, one channel out; no resampling (same rate); a cheap deterministic "log-mel".
const decoder: AudioDecoder = {
  kind: 'decoder',
  id: 'bench/raw-f32',
  options: null,
  decode: async (bytes) => ({ channelData: [new Float32Array(bytes.slice().buffer)], sampleRate: RATE }),
};
const resampler: Resampler = { kind: 'resampler', id: 'bench/identity', options: null, resample: (x) => x };
const params = resolveMelParams({ sampleRate: RATE, nFft: 400, hopLength: 160, nMels: 80 });
const extractor: FeatureExtractor = {
  kind: 'extractor',
  id: 'bench/energy',
  options: { ...params },
  version: 1,
  params,
  features: { rows: params.nMels, sampleRate: params.sampleRate, hopLength: params.hopLength },
  fingerprint: () => fingerprint({ id: 'bench/energy', params }),
  frameCount: (n) => Math.floor(n / params.hopLength),
  extract(x) {
    const frames = Math.floor(x.length / params.hopLength);
    const data = new Float32Array(params.nMels * frames);
    for (let t = 0; t < frames; t++) {
      const v = Math.abs(x[t * params.hopLength]!);
      for (let m = 0; m < params.nMels; m++) data[m * frames + t] = v + m * 1e-3;
    }
    return { data, shape: [params.nMels, frames] };
  },
};

async function member(d: number): Promise<SpectrogramDataset> {
  const x = Float32Array.from({ length: SAMPLES }, (_, i) => Math.sin((2 * Math.PI * (100 + d) * i) / RATE));
  const metadata = {
    'a.wav': { length: SAMPLES, intervals: { speech: [[2000, 30000]] }, metadata: { kind: `k${d % 3}` } },
  };
  return createDataset()
    .source(mapSource({ 'a.wav': new Uint8Array(x.buffer) }))
    .decoder(decoder)
    .resampler(resampler)
    .extractor(extractor)
    .cache(null)
    .memory({ maxMemoryCache: 1 })
    .metadata(bytesMetadata('metadata.json', JSON.stringify(metadata)))
    .windows({ windowSizeSec: 1.92, windowOffsetSec: 0.1, windowContentRatio: 0 })
    .output({ masks: ['speech'], label: 'kind' })
    .logger({ info: () => {}, warn: () => {} })
    .build();
}

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ratio {
  median: number;
  low: number;
  high: number;
}
interface RunResult {
  directUs: number;
  control: Ratio;
  router: Ratio;
  items: number;
  buildSeconds: number;
}
const RESULT_PREFIX = 'router-real-result ';

/** One measurement in this process; prints its result as one JSON line. */
async function measure() {
  const started = performance.now();
  const members: SpectrogramDataset[] = [];
  for (let d = 0; d < MEMBERS; d++) members.push(await member(d));
  const router = new SpectrogramDatasetRouter(members);
  const buildSeconds = (performance.now() - started) / 1000;
  const starts: number[] = [];
  let total = 0;
  for (const m of members) {
    starts.push(total);
    total += m.length;
  }
  const random = mulberry32(7);
  const pairD = new Int32Array(GETS);
  const pairL = new Int32Array(GETS);
  const pairG = new Int32Array(GETS);
  for (let k = 0; k < GETS; k++) {
    pairD[k] = Math.floor(random() * MEMBERS);
    pairL[k] = Math.floor(random() * members[pairD[k]!]!.length);
    pairG[k] = starts[pairD[k]!]! + pairL[k]!;
  }
  let sink = 0;
  // Gets run in blocks of BLOCK. Within a round the three ways take turns block by block, in a
  // rotating order; the three blocks of one turn (a "triple") read the same (member, local) pairs
  // moments apart. Each get allocates a 61 KB window, so collector pauses (PerformanceObserver 'gc'
  // entries) are taken out of the block they fall in, and on a shared machine a burst of lost CPU
  // time can hit one block: hence the median over all triples of each way's time / the direct time,
  // with a 95% confidence interval from order statistics. `member.get again` repeats the direct
  // loop: its "overhead" shows what the method reads when there is none.
  const blockTimes: number[][] = [[], [], []]; // per way, per triple: ms without collector pauses
  const pauses: [start: number, duration: number][] = [];
  let pending: [way: number, triple: number, start: number, end: number][] = [];
  // One loop for all three ways (a branch per get, the same every time within a block), so the JIT
  // treats them alike: separate closures per way showed a bias of up to 2% by closure alone.
  const block = async (way: number, triple: number, from: number) => {
    const t0 = performance.now();
    if (way === 2) for (let k = from; k < from + BLOCK; k++) sink += (await router.get(pairG[k]!)).label!;
    else for (let k = from; k < from + BLOCK; k++) sink += (await members[pairD[k]!]!.get(pairL[k]!)).label!;
    pending.push([way, triple, t0, performance.now()]);
  };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push([e.startTime, e.duration]);
  });
  observer.observe({ entryTypes: ['gc'] });
  let triple = 0;
  for (let r = 0; r < ROUNDS + WARMUP_ROUNDS; r++) {
    for (let b = 0; b < GETS / BLOCK; b++, triple++) {
      for (const way of ORDERS[triple % 6]!) await block(way, triple, b * BLOCK);
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // let the observer deliver
    if (r < WARMUP_ROUNDS) pending = [];
    for (const [way, t, t0, t1] of pending) {
      let paused = 0;
      for (const [start, duration] of pauses) if (start >= t0 && start < t1) paused += duration;
      blockTimes[way]![t - WARMUP_ROUNDS * (GETS / BLOCK)] = t1 - t0 - paused;
    }
    pending = [];
  }
  observer.disconnect();
  const triples = blockTimes[0]!.length;
  const totalMs = (way: number) => blockTimes[way]!.reduce((a, b) => a + b, 0);
  const ratioStats = (way: number) => {
    const ratios = blockTimes[way]!.map((t, i) => t / blockTimes[0]![i]! - 1).sort((p, q) => p - q);
    const half = (1.96 * Math.sqrt(triples)) / 2;
    const at = (rank: number) => 100 * ratios[Math.min(triples - 1, Math.max(0, Math.round(rank)))]!;
    return { median: at(triples / 2), low: at(triples / 2 - half), high: at(triples / 2 + half) };
  };
  const result: RunResult = {
    directUs: (1000 * totalMs(0)) / (triples * BLOCK),
    control: ratioStats(1),
    router: ratioStats(2),
    items: total,
    buildSeconds,
  };
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
  if (Number.isNaN(sink)) throw new Error('unreachable');
}

// Student's t (two-sided 95%) for 1..10 degrees of freedom.
const T95 = [12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/**
 * Runs the measurement in RUNS fresh processes (run-to-run spread, from heap layout and machine
 * drift, is as large as the spread within a run) and reports each run and the mean over runs.
 */
function main() {
  const runs: RunResult[] = [];
  for (let run = 0; run < RUNS; run++) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!], {
      encoding: 'utf8',
      env: { ...process.env, SPG_ROUTER_BENCH_CHILD: '1' },
    });
    const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
    if (child.status !== 0 || line === undefined) throw new Error(`run ${run} failed:\n${child.stderr}`);
    runs.push(JSON.parse(line.slice(RESULT_PREFIX.length)) as RunResult);
  }
  const interval = (r: Ratio) => `${r.median.toFixed(2)} (${r.low.toFixed(2)} .. ${r.high.toFixed(2)})`;
  const meanWithInterval = (xs: number[]) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
    const half = ((T95[xs.length - 2] ?? 1.96) * sd) / Math.sqrt(xs.length);
    return `${mean.toFixed(2)} (${(mean - half).toFixed(2)} .. ${(mean + half).toFixed(2)})`;
  };
  console.log(
    `\nrouter over ${MEMBERS} real SpectrogramDatasets (${runs[0]!.items} items, [80, 192] windows + mask + label, ` +
      `MemoryCache; built in ~${runs[0]!.buildSeconds.toFixed(1)} s); per run ${(ROUNDS * GETS) / BLOCK} triples of ` +
      `${BLOCK}-get blocks in all six orders; ${RUNS} runs in fresh processes; node ${process.version}. ` +
      'Overhead % over a direct member.get: per run, median of block ratios (95% interval); last row, mean over runs ' +
      '(95% interval). Target: router < 2%.',
  );
  console.table([
    ...runs.map((r, k) => ({
      run: String(k + 1),
      'µs/get direct': r.directUs.toFixed(2),
      'control: member.get again %': interval(r.control),
      'router.get %': interval(r.router),
    })),
    {
      run: 'mean',
      'µs/get direct': (runs.reduce((a, r) => a + r.directUs, 0) / RUNS).toFixed(2),
      'control: member.get again %': meanWithInterval(runs.map((r) => r.control.median)),
      'router.get %': meanWithInterval(runs.map((r) => r.router.median)),
    },
  ]);
}

if (process.env.SPG_ROUTER_BENCH_CHILD) await measure();
else main();

/**
 * Serving speed on one core: `get(i)` in random order and the DataLoader (batch 64, shuffled), with
 * and without a mask, from a built hour of audio held in the dataset's memory cache, against a
 * `Float32Array.set` ceiling of the same bytes measured in the same run; page faults and full
 * (mark-compact) collections per case.
 * Run: `pnpm --filter @spgdataset/integration-tests bench` (needs built packages), or alone:
 * `node --expose-gc --import tsx bench/serving.bench.ts`. Every case starts after a full collection
 * and ends with one inside its time (it pays for its own garbage). Env: BENCH_FILES (180) x BENCH_SECONDS (20) of 16 kHz WAV,
 * BENCH_ROUNDS (5, medians), BENCH_REPEATS (3: the whole sequence of case processes again; each
 * cell is the median over repeats, each percentage the median of the per-repeat percentages),
 * BENCH_BASELINE=<another checkout, built> adds its numbers side by side (e.g. the main branch
 * before a change); `--json` prints the rows instead of the table. The last line is the verdict
 * against the serving goals: get(i) >= 60% and DataLoader 64 shuffled >= 75% of the reused
 * ceiling, with and without a mask, in wall time and in CPU time (the process's, all its threads):
 * on a shared machine other work takes turns on the one core, which CPU time leaves out.
 *
 * Every case runs in its own child process (per side, the sides alternating which goes first),
 * after opening the datasets built once per side. V8 sizes the old generation after each full
 * collection from how fast the recent past allocated there, and counts new ArrayBuffer memory
 * against that limit, so a case that allocates a fresh item buffer per get can run with a full
 * collection every ~8 MB or with none, depending only on what ran before it in the process. In
 * one shared process the same ceiling code measured 1 or 47 full collections per round depending
 * on which package's cases had run before it; a process per case measures each case on its own.
 *
 * Ceilings (what any implementation must at least do, with no dataset, promises or loader):
 * - get, fresh: one new Float32Array per item holding the spectrogram window (and the mask), handed
 *   over through a promise, and a Float32Array.set of each of its 80 rows (and of the mask) from
 *   the whole-file spectrogram.
 * - get, reused: the same copies into one buffer allocated once (no allocation at all).
 * - batch, fresh / reused: the same per item, into a [64, ...] batch buffer made per batch / once.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GCProfiler } from 'node:v8';
import {
  importBuilt,
  loadLine,
  median,
  pageFaults,
  pinTo,
  repoRoot,
  table,
  writeWavCorpus,
} from './bench-kit';

pinTo('0');

type Api = typeof import('spgdataset');
type Dataset = Awaited<ReturnType<Api['openSpectrogramDataset']>>;

const FILES = Number(process.env.BENCH_FILES ?? 180);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
/** Serving goals: percent of the reused-buffer ceiling of the same bytes. */
const GOALS = { 'get(i), random order': 60, 'DataLoader 64, shuffled': 75 } as const;
const BATCH = 64;
const RATE = 16000;
const HOP = 160;
const json = process.argv.includes('--json');
/** A full collection when the bench runs with --expose-gc (its package script does). */
const collect = () => (globalThis as { gc?: () => void }).gc?.();

/** The cases, in the order they run (each in its own process). */
const CASES = [
  'get ceiling, fresh',
  'get ceiling, reused',
  'get(i), random order',
  'batch ceiling, fresh',
  'batch ceiling, reused',
  'DataLoader 64, shuffled',
  'DataLoader 64, shuffled, reuseBatches',
] as const;
type CaseName = (typeof CASES)[number];

/** One case with one mask setting, as a child process measured it. */
interface Sample {
  name: string;
  itemsPerSecond: number;
  /**
   * Items per second of this process's CPU time (all its threads, so its garbage collection too):
   * what the one core gives when other work on a shared machine takes turns on it.
   */
  itemsPerCpuSecond: number;
  faultsPerItem: number;
  /** Full (mark-compact) collections per round, the closing one included. */
  fullGcs: number;
}

interface Row extends Sample {
  /** Percent of the reused-buffer ceiling (pure copies) of the same bytes (undefined for ceilings). */
  ofCeiling?: number;
  /** Percent of the fresh-buffer ceiling (one new array per item or batch). */
  ofFresh?: number;
  /** Lowest and highest per-repeat percent of the reused ceiling. */
  ofCeilingRange?: [number, number];
  /** Percent of the reused ceiling in CPU time (items per CPU second). */
  cpuOfCeiling?: number;
  cpuOfCeilingRange?: [number, number];
}

/** Speech intervals: 1.5 s on, 0.5 s off, so most windows are kept with a speech mask. */
function intervals(samples: number): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < samples; start += 2 * RATE)
    out.push([start, Math.min(samples, start + 1.5 * RATE)]);
  return out;
}

/** A seeded permutation of 0..n-1. */
function permutation(n: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let state = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Whole-file spectrograms straight from the .npy files (float32, header length at bytes 8-9). */
function readNpyFiles(root: string): Map<string, { data: Float32Array; frames: number }> {
  const out = new Map<string, { data: Float32Array; frames: number }>();
  for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.npy')) continue;
    const bytes = readFileSync(join(root, name));
    const header = bytes.readUInt16LE(8);
    const text = bytes.subarray(10, 10 + header).toString('latin1');
    const [, frames] = /\((\d+), (\d+)\)/.exec(text)!.slice(1).map(Number) as [number, number];
    const start = 10 + header;
    const copy = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length),
    );
    out.set(name.replace(/\.[0-9a-f]{16}\.npy$/, ''), { data: copy, frames });
  }
  return out;
}

/** Frame-level mask of a whole file (what the item masks are windows of). */
function fileMask(samples: number, frames: number): Float32Array {
  const mask = new Float32Array(frames);
  const last = Math.ceil(samples / HOP) - 1;
  for (const [a, b] of intervals(samples))
    mask.fill(1, Math.floor(a / HOP), Math.min(Math.ceil(b / HOP), last));
  return mask;
}

/** The WAV corpus and its metadata.json, shared by both sides. */
function writeCorpus(audioRoot: string): void {
  const names = writeWavCorpus(audioRoot, FILES, SECONDS, RATE);
  const samples = SECONDS * RATE;
  const metadata = Object.fromEntries(
    names.map((name) => [name, { length: samples, intervals: { speech: intervals(samples) }, metadata: {} }]),
  );
  writeFileSync(join(audioRoot, 'metadata.json'), JSON.stringify(metadata));
}

/** Opens (building on first use) the no-mask and speech-mask datasets of `audioRoot` in `out`. */
async function openDatasets(api: Api, audioRoot: string, out: string) {
  const open = (masks: string[]) =>
    api.openSpectrogramDataset({
      audioRoot,
      spectrogramsRoot: join(out, 'spg'),
      indexRoot: join(out, 'index'),
      metadataJsonPath: join(audioRoot, 'metadata.json'),
      outputConfiguration: { masks },
      maxMemoryCache: 1024,
      logger: { info: () => {}, warn: (m: string) => console.warn(m) },
    });
  return { none: await open([]), speech: await open(['speech']) };
}

/** Child process: case `only` on both datasets (a warm-up round, then ROUNDS rounds); no row where unsupported. */
async function measureCase(only: CaseName, audioRoot: string, out: string): Promise<Sample[]> {
  const api = await importBuilt<Api>('spgdataset');
  const datasets = await openDatasets(api, audioRoot, out);
  const samples = SECONDS * RATE;
  const spectrograms = readNpyFiles(join(out, 'spg'));
  const masks = new Map([...spectrograms].map(([path, s]) => [path, fileMask(samples, s.frames)]));
  const rows: Sample[] = [];
  for (const [maskName, ds] of Object.entries(datasets) as [keyof typeof datasets, Dataset][]) {
    const withMask = maskName === 'speech';
    const { spgLength, spgOffset } = ds.sizes;
    const nMels = 80;
    const n = ds.length;
    const order = permutation(n, 7);
    // Where each item's bytes are, for the ceilings.
    const sources: Float32Array[] = [];
    const maskSources: Float32Array[] = [];
    const frameCounts = new Int32Array(n);
    const firsts = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const where = ds.locate(i);
      const s = spectrograms.get(where.path)!;
      sources.push(s.data);
      maskSources.push(masks.get(where.path)!);
      frameCounts[i] = s.frames;
      firsts[i] = where.window * spgOffset;
    }
    const itemValues = nMels * spgLength + (withMask ? spgLength : 0);
    const copyItem = (i: number, target: Float32Array, at: number) => {
      const src = sources[i]!;
      const frames = frameCounts[i]!;
      const first = firsts[i]!;
      for (let m = 0; m < nMels; m++)
        target.set(src.subarray(m * frames + first, m * frames + first + spgLength), at + m * spgLength);
      if (withMask) target.set(maskSources[i]!.subarray(first, first + spgLength), at + nMels * spgLength);
    };
    const reusedItem = new Float32Array(itemValues);
    const reusedBatch = new Float32Array(BATCH * itemValues);
    const batches = Math.floor(n / BATCH);
    const cases: Partial<Record<CaseName, () => Promise<number> | number>> = {
      'get ceiling, fresh': async () => {
        let check = 0;
        for (let k = 0; k < n; k++) {
          // What any promise-returning get of a new array does: allocate, copy, hand over.
          const target = await Promise.resolve(new Float32Array(itemValues));
          copyItem(order[k]!, target, 0);
          check += target[0]!;
        }
        return check;
      },
      'get ceiling, reused': () => {
        let check = 0;
        for (let k = 0; k < n; k++) {
          copyItem(order[k]!, reusedItem, 0);
          check += reusedItem[0]!;
        }
        return check;
      },
      'get(i), random order': async () => {
        let check = 0;
        for (let k = 0; k < n; k++) check += (await ds.get(order[k]!)).spectrogram!.data[0]!;
        return check;
      },
      'batch ceiling, fresh': () => {
        let check = 0;
        for (let b = 0; b < batches; b++) {
          const target = new Float32Array(BATCH * itemValues);
          for (let j = 0; j < BATCH; j++) copyItem(order[b * BATCH + j]!, target, j * itemValues);
          check += target[0]!;
        }
        return check;
      },
      'batch ceiling, reused': () => {
        let check = 0;
        for (let b = 0; b < batches; b++) {
          for (let j = 0; j < BATCH; j++) copyItem(order[b * BATCH + j]!, reusedBatch, j * itemValues);
          check += reusedBatch[0]!;
        }
        return check;
      },
      'DataLoader 64, shuffled': async () => {
        const loader = new api.DataLoader(ds, { batchSize: BATCH, shuffle: true, seed: 1, dropLast: true });
        let check = 0;
        for await (const batch of loader) check += batch.spectrogram!.data[0]!;
        return check;
      },
    };
    // Only where the loader can reuse its batch buffers (newer versions).
    const reuseProbe = new api.DataLoader(ds, { batchSize: BATCH, reuseBatches: true } as never);
    if ((reuseProbe as unknown as { reuseBatches?: boolean }).reuseBatches === true) {
      cases['DataLoader 64, shuffled, reuseBatches'] = async () => {
        const loader = new api.DataLoader(ds, {
          batchSize: BATCH,
          shuffle: true,
          seed: 1,
          dropLast: true,
          reuseBatches: true,
        } as never);
        let check = 0;
        for await (const batch of loader) check += batch.spectrogram!.data[0]!;
        return check;
      };
    }
    const run = cases[only];
    if (!run) continue;
    const items = only.includes('batch') || only.includes('DataLoader') ? batches * BATCH : n;
    const rates: number[] = [];
    const cpuRates: number[] = [];
    const faults: number[] = [];
    const fullGcs: number[] = [];
    for (let round = -1; round < ROUNDS; round++) {
      // Each round starts from a collected heap and pays for collecting its own garbage.
      collect();
      const profiler = new GCProfiler();
      profiler.start();
      const f0 = pageFaults();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const check = await run();
      collect();
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      const f1 = pageFaults();
      const gcs = profiler.stop().statistics.filter((s) => s.gcType === 'MarkSweepCompact').length;
      if (Number.isNaN(check)) throw new Error('unreachable');
      if (round < 0) continue; // warm-up
      rates.push(items / seconds);
      cpuRates.push(items / ((cpu.user + cpu.system) / 1e6));
      faults.push((f1 - f0) / items);
      fullGcs.push(gcs);
    }
    rows.push({
      name: `${withMask ? 'speech mask' : 'no mask'}: ${only}`,
      itemsPerSecond: median(rates),
      itemsPerCpuSecond: median(cpuRates),
      faultsPerItem: median(faults),
      fullGcs: median(fullGcs),
    });
  }
  return rows;
}

/** Runs this bench file as a child against `root`'s packages with `args`; its last stdout line as JSON. */
function child<T>(root: string, args: string[], env: Record<string, string>): T {
  const run = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
    env: { ...process.env, ...env, SPG_ROOT: root },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 2 ** 20,
  });
  if (run.status !== 0)
    throw new Error(`serving bench ${args.join(' ')} against ${root} failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? 'null') as T;
}

/** Adds the percentages of the ceilings measured for the same side. */
function withCeilings(samples: Sample[]): Row[] {
  const rate = (name: string) => samples.find((s) => s.name === name)?.itemsPerSecond;
  return samples.map((sample) => {
    const [label, name] = sample.name.split(': ') as [string, string];
    const kind = name.startsWith('get(') ? 'get' : name.startsWith('DataLoader') ? 'batch' : undefined;
    if (!kind) return sample;
    const reused = rate(`${label}: ${kind} ceiling, reused`);
    const fresh = rate(`${label}: ${kind} ceiling, fresh`);
    const reusedCpu = samples.find((s) => s.name === `${label}: ${kind} ceiling, reused`)?.itemsPerCpuSecond;
    return {
      ...sample,
      cpuOfCeiling: reusedCpu ? (100 * sample.itemsPerCpuSecond) / reusedCpu : undefined,
      ofCeiling: reused ? (100 * sample.itemsPerSecond) / reused : undefined,
      ofFresh: fresh ? (100 * sample.itemsPerSecond) / fresh : undefined,
    };
  });
}

/** Each case's median over the repeats (its percentages: the median of the per-repeat percentages). */
function overRepeats(repeats: Row[][]): Row[] {
  const mid = (xs: (number | undefined)[]) => {
    const known = xs.filter((x): x is number => x !== undefined);
    return known.length ? median(known) : undefined;
  };
  return repeats[0]!.map((first) => {
    const same = repeats.map((rows) => rows.find((r) => r.name === first.name)!);
    const range = (xs: (number | undefined)[]): [number, number] | undefined => {
      const known = xs.filter((x): x is number => x !== undefined);
      return known.length ? [Math.min(...known), Math.max(...known)] : undefined;
    };
    return {
      name: first.name,
      itemsPerSecond: median(same.map((r) => r.itemsPerSecond)),
      itemsPerCpuSecond: median(same.map((r) => r.itemsPerCpuSecond)),
      faultsPerItem: median(same.map((r) => r.faultsPerItem)),
      fullGcs: median(same.map((r) => r.fullGcs)),
      ofCeiling: mid(same.map((r) => r.ofCeiling)),
      ofFresh: mid(same.map((r) => r.ofFresh)),
      ofCeilingRange: range(same.map((r) => r.ofCeiling)),
      cpuOfCeiling: mid(same.map((r) => r.cpuOfCeiling)),
      cpuOfCeilingRange: range(same.map((r) => r.cpuOfCeiling)),
    };
  });
}

/**
 * Pass/fail of each goal case from its median percent of the reused ceiling, in wall time and in
 * CPU time (the same comparison with other work's turns on the core left out).
 */
function verdict(rows: Row[]): string {
  const lines: string[] = [];
  for (const clock of ['wall', 'CPU'] as const) {
    const parts: string[] = [];
    let pass = true;
    for (const row of rows) {
      const [label, name] = row.name.split(': ') as [string, string];
      const goal = GOALS[name as keyof typeof GOALS];
      const percent = clock === 'wall' ? row.ofCeiling : row.cpuOfCeiling;
      if (goal === undefined || percent === undefined) continue;
      const ok = percent >= goal;
      pass &&= ok;
      const [lo, hi] = (clock === 'wall' ? row.ofCeilingRange : row.cpuOfCeilingRange) ?? [percent, percent];
      parts.push(
        `${label} ${name} ${percent.toFixed(0)}% (${lo.toFixed(0)}-${hi.toFixed(0)}) ${ok ? '>=' : '<'} ${goal}% ${ok ? 'pass' : 'FAIL'}`,
      );
    }
    lines.push(
      `Verdict, ${clock} time (median of ${REPEATS} repeats of ${ROUNDS} rounds, % of the reused ceiling; per-repeat range in brackets): ${pass ? 'PASS' : 'FAIL'}: ${parts.join('; ')}`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const caseIndex = process.argv.indexOf('--case');
  const { BENCH_AUDIO: audio, BENCH_OUT: out } = process.env;
  if (process.argv.includes('--prepare')) {
    await openDatasets(await importBuilt<Api>('spgdataset'), audio!, out!);
    console.log('null');
    return;
  }
  if (caseIndex >= 0) {
    console.log(JSON.stringify(await measureCase(process.argv[caseIndex + 1] as CaseName, audio!, out!)));
    return;
  }
  const baselineRoot = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : undefined;
  const work = mkdtempSync(join(tmpdir(), 'spg-serving-'));
  try {
    const audioRoot = join(work, 'audio');
    writeCorpus(audioRoot);
    const sides = [repoRoot, ...(baselineRoot ? [baselineRoot] : [])].map((root, k) => {
      const env = { BENCH_AUDIO: audioRoot, BENCH_OUT: join(work, `out-${k}`) };
      mkdirSync(env.BENCH_OUT);
      child(root, ['--prepare'], env);
      return { root, env, samples: [] as Sample[] };
    });
    const repeats = sides.map(() => [] as Row[][]);
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (const side of sides) side.samples = [];
      for (const [k, name] of CASES.entries()) {
        // The sides take turns going first, so a drift in the machine's load favours neither.
        for (const side of (k + repeat) % 2 ? [...sides].reverse() : sides)
          side.samples.push(...child<Sample[]>(side.root, ['--case', name], side.env));
      }
      for (const [s, side] of sides.entries()) repeats[s]!.push(withCeilings(side.samples));
    }
    const byMask = (rows: Row[]) => [
      ...rows.filter((r) => r.name.startsWith('no mask')),
      ...rows.filter((r) => !r.name.startsWith('no mask')),
    ];
    const [now, before] = repeats.map((rows) => byMask(overRepeats(rows))) as [Row[], Row[] | undefined];
    report(now, before, baselineRoot);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function report(now: Row[], before: Row[] | undefined, baselineRoot: string | undefined): void {
  if (json) {
    console.log(JSON.stringify({ rows: now, ...(before ? { before } : {}), verdict: verdict(now) }));
    return;
  }
  const head = [
    'case',
    'items/s',
    '% of reused ceiling',
    'items/CPU s',
    'CPU % of reused',
    '% of fresh ceiling',
    'page faults/item',
    'full GCs',
  ];
  if (before)
    head.push(
      'before: items/s',
      'before: % reused',
      'before: % fresh',
      'before: faults/item',
      'before: full GCs',
    );
  const pct = (x: number | undefined) => (x === undefined ? '' : `${x.toFixed(0)}%`);
  const rows = now.map((row) => {
    const cells = [
      row.name,
      Math.round(row.itemsPerSecond).toLocaleString('en-US'),
      pct(row.ofCeiling),
      Math.round(row.itemsPerCpuSecond).toLocaleString('en-US'),
      pct(row.cpuOfCeiling),
      pct(row.ofFresh),
      row.faultsPerItem.toFixed(2),
      String(row.fullGcs),
    ];
    const old = before?.find((r) => r.name === row.name);
    if (before)
      cells.push(
        old ? Math.round(old.itemsPerSecond).toLocaleString('en-US') : '-',
        pct(old?.ofCeiling),
        pct(old?.ofFresh),
        old ? old.faultsPerItem.toFixed(2) : '-',
        old ? String(old.fullGcs) : '-',
      );
    return cells;
  });
  console.log(
    `\nServing bench: ${FILES} x ${SECONDS} s, [80, 192] windows from the memory cache, one core, one process per case, median of ${REPEATS} repeats of the median of ${ROUNDS} rounds (full GCs: mark-compacts per round, the closing one included), Node ${process.version}; packages from ${repoRoot}${before ? `; before = ${baselineRoot}` : ''}\n`,
  );
  console.log(table(head, rows));
  console.log(`\n${loadLine()}`);
  console.log(verdict(now));
}

await main();

/**
 * Serving speed on one core: `get(i)` in random order and the DataLoader (batch 64, shuffled), with
 * and without a mask, from a built hour of audio held in the dataset's memory cache, against a
 * `Float32Array.set` ceiling of the same bytes measured in the same run; page faults per item.
 * Run: `pnpm --filter @spgdataset/integration-tests bench` (needs built packages), or alone:
 * `node --expose-gc --import tsx bench/serving.bench.ts`. Every case starts after a full collection
 * and ends with one inside its time (it pays for its own garbage). Env: BENCH_FILES (180) x BENCH_SECONDS (20) of 16 kHz WAV,
 * BENCH_ROUNDS (5, interleaved, medians), BENCH_BASELINE=<another checkout, built> adds its
 * numbers side by side (e.g. the main branch before a change).
 *
 * Ceilings (what any implementation must at least do, with no dataset, promises or loader):
 * - get, fresh: one new Float32Array per item holding the spectrogram window (and the mask), handed
 *   over through a promise, and a Float32Array.set of each of its 80 rows (and of the mask) from
 *   the whole-file spectrogram.
 * - get, reused: the same copies into one buffer allocated once (no allocation at all).
 * - batch, fresh / reused: the same per item, into a [64, ...] batch buffer made per batch / once.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  importBuilt,
  loadLine,
  median,
  pageFaults,
  pinTo,
  repoRoot,
  runAgainst,
  table,
  writeWavCorpus,
} from './bench-kit';

pinTo('0');

type Api = typeof import('spgdataset');
type Dataset = Awaited<ReturnType<Api['openSpectrogramDataset']>>;

const FILES = Number(process.env.BENCH_FILES ?? 180);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 64;
const RATE = 16000;
const HOP = 160;
const json = process.argv.includes('--json');
/** A full collection when the bench runs with --expose-gc (its package script does). */
const collect = () => (globalThis as { gc?: () => void }).gc?.();

interface Row {
  name: string;
  itemsPerSecond: number;
  faultsPerItem: number;
  /** Percent of the reused-buffer ceiling (pure copies) of the same bytes (undefined for ceilings). */
  ofCeiling?: number;
  /** Percent of the fresh-buffer ceiling (one new array per item or batch). */
  ofFresh?: number;
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

async function measure(): Promise<{ rows: Row[]; items: number }> {
  const api = await importBuilt<Api>('spgdataset');
  const audioRoot = mkdtempSync(join(tmpdir(), 'spg-serving-audio-'));
  const out = mkdtempSync(join(tmpdir(), 'spg-serving-out-'));
  try {
    const names = writeWavCorpus(audioRoot, FILES, SECONDS, RATE);
    const samples = SECONDS * RATE;
    const metadata = Object.fromEntries(
      names.map((name) => [
        name,
        { length: samples, intervals: { speech: intervals(samples) }, metadata: {} },
      ]),
    );
    writeFileSync(join(audioRoot, 'metadata.json'), JSON.stringify(metadata));
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
    const datasets = { none: await open([]), speech: await open(['speech']) };
    const spectrograms = readNpyFiles(join(out, 'spg'));
    const masks = new Map([...spectrograms].map(([path, s]) => [path, fileMask(samples, s.frames)]));
    const rows: Row[] = [];
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
      const cases: Record<string, () => Promise<number> | number> = {
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
      const itemsOf = (name: string) =>
        name.includes('batch') || name.includes('DataLoader') ? batches * BATCH : n;
      const rates = new Map<string, number[]>();
      const faults = new Map<string, number[]>();
      for (let round = -1; round < ROUNDS; round++) {
        for (const [name, run] of Object.entries(cases)) {
          // Each case starts from a collected heap and pays for collecting its own garbage.
          collect();
          const f0 = pageFaults();
          const t0 = performance.now();
          const check = await run();
          collect();
          const seconds = (performance.now() - t0) / 1000;
          const f1 = pageFaults();
          if (Number.isNaN(check)) throw new Error('unreachable');
          if (round < 0) continue; // warm-up
          rates.set(name, [...(rates.get(name) ?? []), itemsOf(name) / seconds]);
          faults.set(name, [...(faults.get(name) ?? []), (f1 - f0) / itemsOf(name)]);
        }
      }
      const label = withMask ? 'speech mask' : 'no mask';
      const rate = (name: string) => median(rates.get(name)!);
      for (const name of Object.keys(cases)) {
        const kind = name.startsWith('get(') ? 'get' : name.startsWith('DataLoader') ? 'batch' : undefined;
        rows.push({
          name: `${label}: ${name}`,
          itemsPerSecond: rate(name),
          faultsPerItem: median(faults.get(name)!),
          ...(kind
            ? {
                ofCeiling: (100 * rate(name)) / rate(`${kind} ceiling, reused`),
                ofFresh: (100 * rate(name)) / rate(`${kind} ceiling, fresh`),
              }
            : {}),
        });
      }
    }
    return { rows, items: datasets.none.length };
  } finally {
    rmSync(audioRoot, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

async function main() {
  const baselineRoot = process.env.BENCH_BASELINE;
  if (json) {
    console.log(JSON.stringify(await measure()));
    return;
  }
  const before = baselineRoot ? runAgainst<{ rows: Row[] }>(resolve(baselineRoot)) : undefined;
  const now = await measure();
  const head = ['case', 'items/s', '% of reused ceiling', '% of fresh ceiling', 'page faults/item'];
  if (before) head.push('before: items/s', 'before: % reused', 'before: % fresh', 'before: faults/item');
  const pct = (x: number | undefined) => (x === undefined ? '' : `${x.toFixed(0)}%`);
  const rows = now.rows.map((row) => {
    const cells = [
      row.name,
      Math.round(row.itemsPerSecond).toLocaleString('en-US'),
      pct(row.ofCeiling),
      pct(row.ofFresh),
      row.faultsPerItem.toFixed(2),
    ];
    const old = before?.rows.find((r) => r.name === row.name);
    if (before)
      cells.push(
        old ? Math.round(old.itemsPerSecond).toLocaleString('en-US') : '-',
        pct(old?.ofCeiling),
        pct(old?.ofFresh),
        old ? old.faultsPerItem.toFixed(2) : '-',
      );
    return cells;
  });
  console.log(
    `\nServing bench: ${FILES} x ${SECONDS} s (${now.items} items), [80, 192] windows from the memory cache, one core, median of ${ROUNDS} rounds, Node ${process.version}; packages from ${repoRoot}${before ? `; before = ${baselineRoot}` : ''}\n`,
  );
  console.log(table(head, rows));
  console.log(`\n${loadLine()}`);
}

await main();

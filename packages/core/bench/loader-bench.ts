// DataLoader throughput and prefetch (issue 9, acceptance 3 and 4).
// Run: pnpm --filter @spgdataset/core bench   (options: --rounds N --batches N)
//
// Throughput: a warm in-memory ReadableDataset serves precomputed items (an [80, 192] spectrogram,
// a [192] speech mask and a label, as a dataset whose spectrograms sit in its MemoryCache), batch 64,
// default collate. The ceiling does only what any collate must: one allocation per output tensor
// per batch and a Float32Array.set of every item's bytes, with no dataset, promises or loader.
// Rounds interleave loader and ceiling; the table reports medians. The "SpectrogramDataset" rows
// read a real dataset whose whole-file spectrograms sit in its MemoryCache (16 files x 30 s, every
// window kept, speech mask from metadata), so `get` slices the window and builds the mask per item.
//
// Prefetch: a training loop awaits 5 ms (a timer, as an accelerator step would) per batch and
// measures how long each `next()` of the loader keeps it waiting, for prefetch 0, 1, 2 and 4, from
// the warm dataset and from one whose `get` takes 2 ms (a disk-backed cache read).
import { performance } from 'node:perf_hooks';
import {
  DataLoader,
  defaultCollate,
  type Item,
  type OutputConfiguration,
  openDataset,
  type ReadableDataset,
  type SpectrogramDataset,
} from '../src/index';
import {
  encodeRaw,
  energyExtractor,
  fakeSource,
  metadataInput,
  testParts,
  toneBursts,
} from '../test/dataset-fakes';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const ROUNDS = flag('rounds', 7);
const BATCHES = flag('batches', 200);
const BATCH = 64;
const N_MELS = 80;
const FRAMES = 192;
const DISTINCT = 256;

const outputConfiguration: OutputConfiguration = {
  audio: false,
  spectrogram: true,
  masks: ['speech'],
  meta: [],
  label: 'kind',
};

const items: Item[] = Array.from({ length: DISTINCT }, (_, i) => ({
  spectrogram: { data: new Float32Array(N_MELS * FRAMES).fill(i / DISTINCT), shape: [N_MELS, FRAMES] },
  masks: { speech: { data: new Float32Array(FRAMES).fill(i % 2), shape: [FRAMES] } },
  label: i % 3,
}));

function warmDataset(length: number, latencyMs = 0): ReadableDataset {
  return {
    length,
    classes: ['a', 'b', 'c'],
    outputConfiguration,
    setMode() {},
    get: (i) =>
      latencyMs === 0
        ? Promise.resolve(items[i % DISTINCT]!)
        : new Promise((resolve) => setTimeout(() => resolve(items[i % DISTINCT]!), latencyMs)),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Items/s of the loader over one epoch of BATCHES batches. */
async function loaderRate(prefetch: number, shuffle: boolean): Promise<number> {
  const loader = new DataLoader(warmDataset(BATCH * BATCHES), {
    batchSize: BATCH,
    prefetch,
    shuffle,
    seed: 1,
  });
  let checksum = 0;
  const t0 = performance.now();
  for await (const batch of loader) checksum += batch.spectrogram!.data[0]! + batch.label![0]!;
  const seconds = (performance.now() - t0) / 1000;
  if (Number.isNaN(checksum)) throw new Error('unreachable');
  return (BATCH * BATCHES) / seconds;
}

/** Items/s of the same bytes copied by hand: the most a collate could do. */
function ceilingRate(): number {
  const itemSize = N_MELS * FRAMES;
  let checksum = 0;
  const t0 = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    const spectrogram = new Float32Array(BATCH * itemSize);
    const mask = new Float32Array(BATCH * FRAMES);
    const label = new Int32Array(BATCH);
    for (let k = 0; k < BATCH; k++) {
      const item = items[(b * BATCH + k) % DISTINCT]!;
      spectrogram.set(item.spectrogram!.data, k * itemSize);
      mask.set(item.masks!.speech!.data, k * FRAMES);
      label[k] = item.label!;
    }
    checksum += spectrogram[0]! + mask[0]! + label[0]!;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (Number.isNaN(checksum)) throw new Error('unreachable');
  return (BATCH * BATCHES) / seconds;
}

/** Mean and max wait (ms) per batch of a loop that works 5 ms per batch. */
async function trainingWait(prefetch: number, latencyMs: number, batches: number) {
  const loader = new DataLoader(warmDataset(BATCH * batches, latencyMs), { batchSize: BATCH, prefetch });
  const iterator = loader[Symbol.asyncIterator]();
  const waits: number[] = [];
  for (;;) {
    const t0 = performance.now();
    const next = await iterator.next();
    const waited = performance.now() - t0;
    if (next.done) break;
    waits.push(waited);
    await sleep(5);
  }
  // The first batch can never be prefetched; report the steady state.
  const steady = waits.slice(1);
  return { mean: steady.reduce((a, b) => a + b, 0) / steady.length, max: Math.max(...steady) };
}

/** A SpectrogramDataset over 16 synthetic 30 s files, all spectrograms in its MemoryCache. */
async function memoryDataset(): Promise<SpectrogramDataset> {
  const files: Record<string, Uint8Array> = {};
  const metadata: Record<string, unknown> = {};
  for (let f = 0; f < 16; f++) {
    const path = `f${f}.wav`;
    files[path] = encodeRaw(toneBursts(480_000, [[0, 480_000]]));
    metadata[path] = { length: 480_000, intervals: { speech: [[0, 480_000]] }, metadata: {} };
  }
  return openDataset(
    testParts({
      source: fakeSource(files),
      extractor: energyExtractor({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: N_MELS }),
      metadata: metadataInput(metadata),
      windows: { windowSizeSec: 1.92, windowOffsetSec: 0.1, windowContentRatio: 0.5 },
      output: { audio: false, spectrogram: true, masks: ['speech'], meta: [], label: null },
      memory: { maxMemoryCache: 1024, dtype: 'float32' },
    }),
  );
}

/** Items/s of the loader over the real dataset (BATCHES batches from a seeded order). */
async function datasetRate(dataset: SpectrogramDataset, shuffle: boolean): Promise<number> {
  const loader = new DataLoader(dataset, { batchSize: BATCH, prefetch: 2, shuffle, seed: 1, dropLast: true });
  let checksum = 0;
  let items = 0;
  const t0 = performance.now();
  for await (const batch of loader) {
    checksum += batch.spectrogram!.data[0]!;
    items += BATCH;
    if (items >= BATCH * BATCHES) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (Number.isNaN(checksum)) throw new Error('unreachable');
  return items / seconds;
}

/** Items/s of awaiting `dataset.get` alone, 64 at a time, same count: what the loader starts from. */
async function datasetGetRate(dataset: SpectrogramDataset): Promise<number> {
  let checksum = 0;
  const t0 = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    const requests = [];
    for (let k = 0; k < BATCH; k++) requests.push(dataset.get((b * BATCH + k) % dataset.length));
    for (const item of await Promise.all(requests)) checksum += item.spectrogram!.data[0]!;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (Number.isNaN(checksum)) throw new Error('unreachable');
  return (BATCH * BATCHES) / seconds;
}

async function main() {
  // Warm up the JIT on both paths.
  for (let i = 0; i < 2; i++) {
    await loaderRate(2, true);
    ceilingRate();
    defaultCollate(items.slice(0, BATCH));
  }
  const dataset = await memoryDataset();
  await datasetRate(dataset, true);
  const rates = {
    ceiling: [] as number[],
    p0: [] as number[],
    p2: [] as number[],
    p2s: [] as number[],
    real: [] as number[],
    realShuffled: [] as number[],
    realGet: [] as number[],
  };
  for (let r = 0; r < ROUNDS; r++) {
    rates.ceiling.push(ceilingRate());
    rates.p0.push(await loaderRate(0, false));
    rates.p2.push(await loaderRate(2, false));
    rates.p2s.push(await loaderRate(2, true));
    rates.real.push(await datasetRate(dataset, false));
    rates.realShuffled.push(await datasetRate(dataset, true));
    rates.realGet.push(await datasetGetRate(dataset));
  }
  const ceiling = median(rates.ceiling);
  const rows: string[][] = [];
  const rate = (name: string, xs: number[]) => {
    const m = median(xs);
    rows.push([
      name,
      `${Math.round(m).toLocaleString('en-US')} items/s`,
      `${((100 * m) / ceiling).toFixed(0)}% of ceiling`,
    ]);
  };
  rate('Float32Array.set ceiling (same bytes)', rates.ceiling);
  rate('DataLoader, default collate, prefetch 0', rates.p0);
  rate('DataLoader, default collate, prefetch 2', rates.p2);
  rate('DataLoader, shuffled, prefetch 2', rates.p2s);
  rate(`SpectrogramDataset (${dataset.length} items in MemoryCache), prefetch 2`, rates.real);
  rate('SpectrogramDataset, shuffled, prefetch 2', rates.realShuffled);
  rate('SpectrogramDataset.get alone (no loader, no collate)', rates.realGet);
  for (const latency of [0, 2]) {
    for (const prefetch of [0, 1, 2, 4]) {
      const { mean, max } = await trainingWait(prefetch, latency, 60);
      rows.push([
        `5 ms/batch loop, get ${latency === 0 ? 'warm' : `${latency} ms`}, prefetch ${prefetch}`,
        `wait ${mean.toFixed(3)} ms/batch`,
        `max ${max.toFixed(2)} ms`,
      ]);
    }
  }
  const mb = (BATCH * (N_MELS * FRAMES + FRAMES) * 4) / 2 ** 20;
  console.log(
    `DataLoader bench: batch ${BATCH} of [${N_MELS}, ${FRAMES}] spectrogram + [${FRAMES}] mask + label (${mb.toFixed(2)} MiB/batch), ${BATCHES} batches x ${ROUNDS} rounds (median), Node ${process.version}\n`,
  );
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(line(['case', 'result', 'vs']));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

await main();

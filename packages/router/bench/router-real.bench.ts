// Router get overhead over REAL SpectrogramDatasets (acceptance: < 2% with 1,000 members). Each member
// is a real dataset (index, MemoryCache, window copy, speech mask, label) over one in-memory file, so a
// direct get costs what it costs users. Direct `member.get(local)` and `router.get(global)` visit the
// same (member, local) sequence; rounds alternate A-B / B-A; the table gives the median of per-round
// ratios and its spread. Run pinned to one core when taskset exists: `pnpm --filter @spgdataset/router bench`.
import { performance } from 'node:perf_hooks';
import {
  type AudioDecoder,
  bytesMetadata,
  createDataset,
  type FeatureExtractor,
  fingerprint,
  mapSource,
  type Resampler,
  type SpectrogramDataset,
} from '@spgdataset/core';
import { SpectrogramDatasetRouter } from '../src/index';

const MEMBERS = 1000;
const RATE = 16000;
const SAMPLES = 3 * RATE; // 3 s per member: 11 windows of the default 1.92 s every 0.1 s
const GETS = 4000;
const ROUNDS = 61;

// Raw float32 bytes in, one channel out; no resampling (same rate); a cheap deterministic "log-mel".
const decoder: AudioDecoder = {
  kind: 'decoder',
  id: 'bench/raw-f32',
  options: null,
  decode: async (bytes) => ({ channelData: [new Float32Array(bytes.slice().buffer)], sampleRate: RATE }),
};
const resampler: Resampler = { kind: 'resampler', id: 'bench/identity', options: null, resample: (x) => x };
const params = {
  sampleRate: RATE,
  nFft: 400,
  hopLength: 160,
  nMels: 80,
  fMin: 0,
  fMax: 8000,
  normalize: false,
  htk: false,
};
const extractor: FeatureExtractor = {
  kind: 'extractor',
  id: 'bench/energy',
  options: { ...params },
  version: 1,
  params,
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

async function main() {
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
  const pairs = Array.from({ length: GETS }, () => {
    const d = Math.floor(random() * MEMBERS);
    return [d, Math.floor(random() * members[d]!.length)] as const;
  });
  let sink = 0;
  const direct = async () => {
    const t0 = performance.now();
    for (const [d, l] of pairs) sink += (await members[d]!.get(l)).label!;
    return (performance.now() - t0) / GETS;
  };
  const routed = async () => {
    const t0 = performance.now();
    for (const [d, l] of pairs) sink += (await router.get(starts[d]! + l)).label!;
    return (performance.now() - t0) / GETS;
  };
  for (let w = 0; w < 3; w++) await Promise.all([await direct(), await routed()]);
  const ratios: number[] = [];
  const directTimes: number[] = [];
  const routedTimes: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const [a, b] = r % 2 ? [await routed(), await direct()].reverse() : [await direct(), await routed()];
    directTimes.push(a!);
    routedTimes.push(b!);
    ratios.push(b! / a! - 1);
  }
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
  const sorted = [...ratios].sort((p, q) => p - q);
  console.log(
    `\nrouter over ${MEMBERS} real SpectrogramDatasets (${total} items, [80, 192] windows + mask + label, MemoryCache), ` +
      `${GETS} awaited gets per round, ${ROUNDS} rounds; built in ${buildSeconds.toFixed(1)} s; node ${process.version}`,
  );
  console.table([
    {
      'µs/get direct': (1000 * median(directTimes)).toFixed(2),
      'µs/get via router': (1000 * median(routedTimes)).toFixed(2),
      'overhead % (median of round ratios)': (100 * median(ratios)).toFixed(2),
      'round ratio quartiles %': `${(100 * sorted[Math.floor(ROUNDS / 4)]!).toFixed(1)} .. ${(100 * sorted[Math.floor((3 * ROUNDS) / 4)]!).toFixed(1)}`,
      'target %': '< 2',
    },
  ]);
  if (Number.isNaN(sink)) throw new Error('unreachable');
}

await main();

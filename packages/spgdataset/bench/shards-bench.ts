// Streaming WebDataset shards vs the DataLoader over the same items, batch 64, default collate.
// Run: pnpm --filter spgdataset bench   (options: --files N --seconds S --rounds R)
//
// One synthetic corpus (speech-like 16 kHz WAVs, every window kept, a speech mask and a label) is
// opened twice with the Node defaults (wasm extractor, fs cache): with a memory cache holding every
// spectrogram ("warm memory cache") and with none ("fs cache": each get reads the file's cached
// spectrogram from disk, or from the dataset's small recent-files memo). The same items are then
// exported as tar shards (32 MiB each) and streamed back from local files and from a static HTTP
// server on 127.0.0.1 running in another process. Each row reads one whole epoch; rounds interleave
// the rows and the table gives medians. Shuffled rows: the DataLoader's random sampler vs the shard
// reader's per-epoch shard order plus a 1,000-item shuffle buffer ("shuffled" shard rows). The
// sequential fs-cache row is nearly a memory path: the dataset memoises the last few files'
// spectrograms, and in order every window of a file comes from one read. Indicative only: the
// machine is shared, and the page cache holds the shard and cache files after the first round.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { speechLike } from '../../../scripts/bench-signals.mjs';
import {
  type Batch,
  DataLoader,
  exportShards,
  httpShardSource,
  nodeDigest,
  nodeShardSource,
  openShardedDataset,
  openSpectrogramDataset,
  type SpectrogramDataset,
} from '../src/index';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const FILES = flag('files', 16);
const SECONDS = flag('seconds', 20);
const ROUNDS = flag('rounds', 5);
const BATCH = 64;
const RATE = 16000;

/** 16-bit PCM mono WAV. */
function wav(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, RATE, true);
  view.setUint32(28, RATE * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++)
    view.setInt16(44 + i * 2, Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32767))), true);
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'spg-shards-bench-'));
const audio = join(work, 'audio');
mkdirSync(audio);
const metadata: Record<string, unknown> = {};
const length = SECONDS * RATE;
for (let f = 0; f < FILES; f++) {
  const signal = speechLike(length + f * 997).subarray(f * 997);
  const path = `f${String(f).padStart(3, '0')}.wav`;
  writeFileSync(join(audio, path), wav(signal));
  metadata[path] = {
    length,
    intervals: { speech: [[0, length]] },
    metadata: { kind: f % 3 === 0 ? 'noise' : 'speech' },
  };
}
writeFileSync(join(work, 'metadata.json'), JSON.stringify(metadata));

const options = {
  audioRoot: audio,
  metadataJsonPath: join(work, 'metadata.json'),
  spectrogramsRoot: join(work, 'cache'),
  indexRoot: join(work, 'index'),
  outputConfiguration: { masks: ['speech'], label: 'kind' },
  logger: { info: () => {}, warn: () => {} },
};
const fsDataset = await openSpectrogramDataset({ ...options, maxMemoryCache: 0 });
const memoryDataset = await openSpectrogramDataset({ ...options, maxMemoryCache: 4096 });
const items = fsDataset.length;
const shardDir = join(work, 'shards');
const { manifest } = await exportShards(memoryDataset, {
  dir: shardDir,
  maxBytesPerShard: 32 * 1024 * 1024,
  fsync: false,
});

const server = spawn(
  process.execPath,
  [fileURLToPath(new URL('./static-server.mjs', import.meta.url)), shardDir],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const port = await new Promise<number>((resolve) =>
  server.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
);
const origin = `http://127.0.0.1:${port}`;

/** Items/s over one epoch; the checksum keeps the batches alive. */
async function rate(batches: () => AsyncIterable<Batch>): Promise<number> {
  let n = 0;
  let checksum = 0;
  const t0 = performance.now();
  for await (const batch of batches()) {
    n += batch.label!.length;
    checksum += batch.spectrogram!.data[0]! + batch.masks!.speech!.data[0]!;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (Number.isNaN(checksum) || n !== items) throw new Error(`read ${n} of ${items} items`);
  return n / seconds;
}

const loader = (ds: SpectrogramDataset, shuffle: boolean) => () =>
  new DataLoader(ds, { batchSize: BATCH, shuffle, seed: 1 });
const files = nodeShardSource();
const http = httpShardSource();
type Verify = 'web crypto' | 'node:crypto' | 'off';
const shards = (source: 'file' | 'http', shuffle: boolean, verify: Verify = 'web crypto') =>
  async function* () {
    const ds = await openShardedDataset({
      manifest: source === 'file' ? join(shardDir, 'manifest.json') : `${origin}/manifest.json`,
      source: source === 'file' ? files : http,
      shuffle: shuffle ? { buffer: 1000, seed: 1 } : false,
      verify: verify !== 'off',
      digest: verify === 'node:crypto' ? nodeDigest : undefined,
    });
    yield* ds.batches(BATCH);
  };

// Sample checks: 'web crypto' is the default (crypto.subtle, off the main thread), 'node:crypto'
// passes digest: nodeDigest (on the main thread, no copy), 'off' passes verify: false.
const rows: [string, () => AsyncIterable<Batch>][] = [
  ['DataLoader, warm memory cache, sequential', loader(memoryDataset, false)],
  ['DataLoader, fs cache, sequential', loader(fsDataset, false)],
  ['shards, local files, in order, check web crypto', shards('file', false)],
  ['shards, local files, in order, check node:crypto', shards('file', false, 'node:crypto')],
  ['shards, local files, in order, check off', shards('file', false, 'off')],
  ['shards, HTTP 127.0.0.1, in order, check web crypto', shards('http', false)],
  ['shards, HTTP 127.0.0.1, in order, check off', shards('http', false, 'off')],
  ['DataLoader, warm memory cache, shuffled', loader(memoryDataset, true)],
  ['DataLoader, fs cache, shuffled', loader(fsDataset, true)],
  ['shards, local files, shuffled, check web crypto', shards('file', true)],
  ['shards, local files, shuffled, check off', shards('file', true, 'off')],
  ['shards, HTTP 127.0.0.1, shuffled, check web crypto', shards('http', true)],
];
const SHUFFLED_FROM = 7;

const results = rows.map(() => [] as number[]);
for (let round = 0; round < ROUNDS + 1; round++)
  for (const [r, [, run]] of rows.entries()) {
    const value = await rate(run);
    if (round > 0) results[r]!.push(value); // round 0 warms up code and caches
  }
server.kill();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const medians = results.map(median);
const fsSequential = medians[1]!;
const fsShuffled = medians[SHUFFLED_FROM + 1]!;

const bytes = manifest.shards.reduce((n, s) => n + s.bytes, 0);
console.log(
  `\nShards bench: ${items} items (${FILES} files x ${SECONDS} s, [80, 192] spectrogram + [192] mask + label), batch ${BATCH}, ${manifest.shards.length} shards (${(bytes / 1e6).toFixed(0)} MB), median of ${ROUNDS} rounds\n`,
);
const width = Math.max(...rows.map(([name]) => name.length));
console.log(`${'path'.padEnd(width)}  ${'items/s'.padStart(9)}  vs fs cache (same order kind)`);
rows.forEach(([name], r) => {
  const base = r < SHUFFLED_FROM ? fsSequential : fsShuffled;
  console.log(
    `${name.padEnd(width)}  ${medians[r]!.toFixed(0).padStart(9)}  ${(medians[r]! / base).toFixed(2)}x`,
  );
});
console.log('\nIndicative numbers: a shared machine; files and shards sit in the page cache after round 0.');
fsDataset.dispose();
memoryDataset.dispose();
rmSync(work, { recursive: true, force: true });

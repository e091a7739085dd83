// fsCache read throughput vs plain fs.readFile of the same files, MemoryCache get latency, and the
// memory cache's RSS against its budget. Uses the built packages (`pnpm build` first; the root
// `pnpm bench` builds). Run: pnpm --filter @spgdataset/cache-fs bench
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKey, MemoryCache } from '@spgdataset/core';
import { fsCache } from '../dist/index.js';

const COUNT = Number(process.env.SPG_BENCH_COUNT ?? 500);
const MiB = 2 ** 20;
const frames = (i) => 192 + ((i * 7919) % 1809); // 192..2000
const keys = Array.from({ length: COUNT }, (_, i) =>
  cacheKey({ path: `spk${i % 20}/utt-${i}.wav`, size: 1000 + i, changeToken: 'b' }, 'bench'),
);
const tensor = (i) => {
  const data = new Float32Array(80 * frames(i));
  for (let j = 0; j < data.length; j++) data[j] = Math.sin(i + j * 0.001);
  return { data, shape: [80, frames(i)] };
};
const gc = globalThis.gc ?? (() => {});
const now = () => performance.now();

async function fill(root) {
  const cache = fsCache({ root, fsync: false });
  let bytes = 0;
  for (const [i, k] of keys.entries()) {
    const t = tensor(i);
    await cache.put(k, t);
    bytes += t.data.byteLength;
  }
  return bytes;
}

/** Best of `rounds` passes, each reading every file once, sequentially or `parallel` at a time. */
async function bestPass(read, rounds, parallel) {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const start = now();
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < COUNT) await read(next++);
      }),
    );
    best = Math.min(best, now() - start);
  }
  return best;
}

async function rss(root, dtype, tensorBytes) {
  // Budget: about half of the dataset in this dtype's accounting.
  const perValue = dtype === 'float16' ? 2 : 4;
  const budget = Math.floor(((tensorBytes / 4) * perValue + COUNT * 256) / 2);
  gc();
  const before = process.memoryUsage().rss;
  const memory = new MemoryCache({ maxBytes: budget, dtype });
  const result = await memory.preload(fsCache({ root }), keys);
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  const after = process.memoryUsage().rss;
  const delta = after - before;
  console.log(
    JSON.stringify({
      dtype,
      budget,
      used: memory.usedBytes,
      loaded: result.loaded,
      delta,
      within: delta <= budget * 1.15,
    }),
  );
}

async function main() {
  const [mode, root, dtype, bytes] = process.argv.slice(2);
  if (mode === 'rss') return rss(root, dtype, Number(bytes));

  const dir = await mkdtemp(join(tmpdir(), 'spg-cache-bench-data-'));
  try {
    const tensorBytes = await fill(dir);
    const cache = fsCache({ root: dir });
    const files = keys.map((k) => cache.pathOf(k));
    let fileBytes = 0;
    for (const f of files) fileBytes += (await readFile(f)).length; // also warms the page cache

    const rows = [];
    const row = (name, ms, ceiling) =>
      rows.push([
        name,
        ((fileBytes / MiB / ms) * 1000).toFixed(0),
        ((COUNT / ms) * 1000).toFixed(0),
        ceiling ? `${((ceiling / ms) * 100).toFixed(0)}%` : '',
      ]);
    for (const parallel of [1, 8]) {
      // Interleave the two readers so machine noise hits both alike.
      let plain = Number.POSITIVE_INFINITY;
      let cached = Number.POSITIVE_INFINITY;
      for (let r = 0; r < 3; r++) {
        plain = Math.min(plain, await bestPass((i) => readFile(files[i]), 2, parallel));
        cached = Math.min(cached, await bestPass((i) => cache.get(keys[i]), 2, parallel));
      }
      row(`fs.readFile (ceiling), ${parallel} at a time`, plain);
      row(`fsCache.get, ${parallel} at a time`, cached, plain);
    }
    console.log(
      `\nfs read path: ${COUNT} spectrograms [80, 192..2000] float32, ${(fileBytes / MiB).toFixed(1)} MiB (page cache warm)\n`,
    );
    console.log('| reader | MB/s | spectrograms/s | vs readFile |\n|---|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);

    // Memory cache get latency.
    const latency = [];
    for (const dtype of ['float32', 'float16']) {
      const memory = new MemoryCache({ maxBytes: 1024 * MiB, dtype });
      for (const [i, k] of keys.entries()) memory.putSync(k, tensor(i));
      const ops = dtype === 'float32' ? 200_000 : 5_000;
      let start = now();
      for (let n = 0; n < ops; n++) memory.getSync(keys[n % COUNT]);
      const sync = ((now() - start) * 1000) / ops;
      start = now();
      for (let n = 0; n < ops; n++) await memory.get(keys[n % COUNT]);
      const asyncUs = ((now() - start) * 1000) / ops;
      latency.push([dtype, sync.toFixed(2), asyncUs.toFixed(2)]);
    }
    console.log('\nMemoryCache get latency (mean over many gets; float16 includes widening to float32)\n');
    console.log('| storage | getSync µs | await get µs |\n|---|---:|---:|');
    for (const r of latency) console.log(`| ${r.join(' | ')} |`);

    // RSS of a preloaded memory cache holding about half the dataset (fresh process each).
    console.log('\nMemoryCache RSS (preload of ~half the dataset in a fresh process; limit budget + 15%)\n');
    console.log(
      '| storage | budget MiB | held MiB | entries | RSS delta MiB | within |\n|---|---:|---:|---:|---:|---|',
    );
    for (const dtype of ['float32', 'float16']) {
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', process.argv[1], 'rss', dir, dtype, String(tensorBytes)],
        {
          encoding: 'utf8',
        },
      );
      const r = JSON.parse(child.stdout.trim().split('\n').at(-1));
      console.log(
        `| ${dtype} | ${(r.budget / MiB).toFixed(1)} | ${(r.used / MiB).toFixed(1)} | ${r.loaded}/${COUNT} | ${(r.delta / MiB).toFixed(1)} | ${r.within ? 'yes' : 'NO'} |`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

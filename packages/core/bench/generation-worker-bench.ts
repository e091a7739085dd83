// Spectrogram generation throughput, numWorkers 0 vs 2 (issue 9, acceptance 3), in audio seconds
// per second, on the same WAV corpus in one run, for the JS and the WASM extractor.
// Run: pnpm --filter @spgdataset/core bench   (needs built packages: `pnpm build`; options:
// --files N --seconds S --rounds R)
//
// Corpus: N mono 16-bit WAVs of S seconds at 22.05 kHz (noise + chirps), so every file goes
// through the real pipeline: read -> audio-decode -> sinc resample to 16 kHz -> pad -> log-mel
// (defaults: nFft 400, hop 160, 80 mels, normalize). numWorkers 0 runs generateSpectrogram file
// after file in this thread; numWorkers W (default 2) submits every file to createGenerationPool at once.
// Pools are warmed (workers started, plugins built, WASM compiled) before timing: steady state.
// 'cores busy' = CPU seconds of the process (all threads) / wall seconds: on a machine shared with
// other work, a speedup below the thread count with 'cores busy' below it means the cores were taken.
// The extractors are loaded from the built dsp-js / dsp-wasm packages found through the umbrella
// package's dependencies (core itself never depends on a plugin).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  type GenerationJob,
  type GeneratorParts,
  generateSpectrogram,
  type PluginDefinition,
  type Tensor,
} from '../src/index';
import type { GenerationWorkerConfig, WorkerPluginReference } from '../src/node/generation-worker-config';
import { createGenerationPool } from '../src/node/worker-pool';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const FILES = flag('files', 16);
const SECONDS = flag('seconds', 20);
const ROUNDS = flag('rounds', 3);
const WORKERS = flag('workers', 2);
const FILE_RATE = 22050;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** 16-bit PCM mono WAV of deterministic noise + chirps. */
function wav(seconds: number, seed: number): Uint8Array {
  const n = Math.round(seconds * FILE_RATE);
  const out = new Uint8Array(44 + 2 * n);
  const v = new DataView(out.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  text(0, 'RIFF');
  v.setUint32(4, 36 + 2 * n, true);
  text(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, FILE_RATE, true);
  v.setUint32(28, 2 * FILE_RATE, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, 2 * n, true);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const t = i / FILE_RATE;
    const x = 0.3 * Math.sin(2 * Math.PI * (200 + 400 * (t % 2)) * t) + 0.1 * ((state >>> 0) / 2 ** 32 - 0.5);
    v.setInt16(44 + 2 * i, Math.round(x * 32767), true);
  }
  return out;
}

/** The ESM entry (Node conditions) of a package the umbrella `spgdataset` depends on. */
function pluginEntry(name: string): string {
  const umbrella = createRequire(here('../../spgdataset/package.json'));
  const pkgPath = umbrella.resolve(`${name}/package.json`);
  const exports = JSON.parse(readFileSync(pkgPath, 'utf8')).exports['.'];
  const entry = exports.node?.import?.default ?? exports.import?.default ?? exports.default;
  return pathToFileURL(join(dirname(pkgPath), entry)).href;
}

/** Builds a plugin in this thread the way a worker does (numWorkers 0 uses the same definitions). */
async function create<K extends 'source' | 'decoder' | 'resampler' | 'extractor'>(
  ref: WorkerPluginReference,
) {
  const definition = (await import(ref.module))[ref.export] as PluginDefinition<K>;
  const checked = await definition.schema['~standard'].validate(ref.options);
  if (checked.issues) throw new Error(`${ref.export}: ${checked.issues.map((i) => i.message).join('; ')}`);
  return definition.create(checked.value);
}

/** CPU seconds of the whole process (all threads) from a cpuUsage delta. */
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const cache = here('../node_modules/.cache/spg-bench/');
  mkdirSync(cache, { recursive: true });
  const common = {
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  } as const;
  await build({
    ...common,
    entryPoints: [here('../src/node/generation-worker.ts')],
    outfile: `${cache}generation-worker.mjs`,
  });
  await build({
    ...common,
    entryPoints: [here('./generation-worker-bench-plugins.ts')],
    outfile: `${cache}plugins.mjs`,
  });
  const plugins = pathToFileURL(`${cache}plugins.mjs`).href;

  const root = mkdtempSync(join(tmpdir(), 'spg-generation-bench-'));
  const jobs: GenerationJob[] = [];
  for (let f = 0; f < FILES; f++) {
    const path = `clip-${String(f).padStart(3, '0')}.wav`;
    writeFileSync(join(root, path), wav(SECONDS, f + 1));
    jobs.push({ path, length: Math.ceil((SECONDS * FILE_RATE * 16000) / FILE_RATE) });
  }
  const audioSeconds = FILES * SECONDS;
  const mel = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80, normalize: true };
  const extractors: Record<string, WorkerPluginReference> = {
    'dsp-js': { module: pluginEntry('@spgdataset/dsp-js'), export: 'jsMelExtractorDefinition', options: mel },
    'dsp-wasm': {
      module: pluginEntry('@spgdataset/dsp-wasm'),
      export: 'wasmMelExtractorDefinition',
      options: mel,
    },
  };
  const rows: string[][] = [];
  try {
    for (const [name, extractor] of Object.entries(extractors)) {
      const config: GenerationWorkerConfig = {
        source: { module: plugins, export: 'benchFsSourceDefinition', options: { root } },
        decoder: { module: plugins, export: 'audioDecodeDecoderDefinition', options: {} },
        resampler: { module: plugins, export: 'sincResamplerDefinition', options: {} },
        extractor,
        sampleRate: 16000,
        windowSize: 30720,
        windowOffset: 1600,
        dtype: 'float32',
      };
      const parts: GeneratorParts = {
        source: await create<'source'>(config.source),
        decoder: await create<'decoder'>(config.decoder),
        resampler: await create<'resampler'>(config.resampler),
        extractor: await create<'extractor'>(config.extractor),
        sampleRate: 16000,
        windowSize: 30720,
        windowOffset: 1600,
        dtype: 'float32',
      };
      const pool = await createGenerationPool(config, {
        numWorkers: WORKERS,
        workerFile: `${cache}generation-worker.mjs`,
      });
      try {
        // Warm-up: every worker and this thread run a few files (JIT, plugin tables, WASM).
        await Promise.all(jobs.slice(0, 3 * WORKERS).map((job) => pool.generate(job)));
        for (const job of jobs.slice(0, 3)) await generateSpectrogram(parts, job);
        const times = { local: [] as number[], pooled: [] as number[] };
        const busy = { local: [] as number[], pooled: [] as number[] };
        let local: Tensor[] = [];
        let pooled: Tensor[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          let t0 = performance.now();
          let cpu = process.cpuUsage();
          local = [];
          for (const job of jobs) local.push(await generateSpectrogram(parts, job));
          times.local.push((performance.now() - t0) / 1000);
          busy.local.push(cpuSeconds(process.cpuUsage(cpu)) / times.local.at(-1)!);
          t0 = performance.now();
          cpu = process.cpuUsage();
          pooled = await Promise.all(jobs.map((job) => pool.generate(job)));
          times.pooled.push((performance.now() - t0) / 1000);
          busy.pooled.push(cpuSeconds(process.cpuUsage(cpu)) / times.pooled.at(-1)!);
        }
        const identical = local.every((t, k) =>
          Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(
            Buffer.from(pooled[k]!.data.buffer, pooled[k]!.data.byteOffset, pooled[k]!.data.byteLength),
          ),
        );
        const rate0 = audioSeconds / median(times.local);
        const rate2 = audioSeconds / median(times.pooled);
        rows.push([
          name,
          'numWorkers 0',
          `${rate0.toFixed(0)} audio-s/s`,
          '1.00x',
          median(busy.local).toFixed(2),
          '',
        ]);
        rows.push([
          name,
          `numWorkers ${WORKERS}`,
          `${rate2.toFixed(0)} audio-s/s`,
          `${(rate2 / rate0).toFixed(2)}x`,
          median(busy.pooled).toFixed(2),
          identical ? 'byte-identical to 0' : 'DIFFERENT from 0',
        ]);
      } finally {
        await pool.destroy();
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(
    `\nGeneration bench: ${FILES} WAVs x ${SECONDS} s at ${FILE_RATE} Hz -> 16 kHz, 80 mels, ${ROUNDS} rounds (median), Node ${process.version}\n`,
  );
  const head = ['extractor', 'workers', 'throughput', 'speedup', 'cores busy', 'check'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

await main();

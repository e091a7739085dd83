/**
 * dsp-wasm vs torch float32 (the seed's computation, one thread) on the same speech-like audio, in
 * one run, default parameters (16000 Hz, nFft 400, hop 160, 80 mels, normalize). Then one hour of
 * audio in one call on a fresh instance, reporting wasm memory against input + output bytes.
 * Run: `pnpm --filter @spgdataset/dsp-wasm bench` (BENCH_SECONDS=600 BENCH_REPEATS=5). On Linux the
 * process pins itself (and torch) to one core with taskset. dsp-js is compared in
 * tests/integration (`pnpm --filter @spgdataset/integration-tests bench`): plugins do not depend on
 * each other.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { wasmMelExtractor } from '@spgdataset/dsp-wasm';
import { speechLike } from '../../../scripts/bench-signals.mjs';
import { timeTorch } from './torch-log-mel.mjs';

if (process.platform === 'linux' && !process.env.SPG_BENCH_PINNED) {
  if (spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0) {
    const run = spawnSync(
      'taskset',
      ['-c', '0', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      {
        stdio: 'inherit',
        env: { ...process.env, SPG_BENCH_PINNED: '1' },
      },
    );
    process.exit(run.status ?? 1);
  }
}

const params = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80, normalize: true };
const seconds = Number(process.env.BENCH_SECONDS ?? 600);
const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const perHour = (s) => (s * 3600) / seconds;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(run, warmups = 2) {
  for (let i = 0; i < warmups; i++) run(); // V8 tiers wasm functions up after a few calls
  const runs = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run();
    runs.push((performance.now() - start) / 1000);
  }
  return median(runs);
}

const audio = speechLike(seconds * params.sampleRate, params.sampleRate);
const wasm = await wasmMelExtractor(params);
const rows = [['dsp-wasm', perHour(time(() => wasm.extract(audio)))]];
const torch = timeTorch(audio, params, repeats);
rows.push(['torch float32 (1 thread)', torch.skipped ? undefined : perHour(torch.seconds)]);
rows.push(['  of which torch.stft + power', torch.skipped ? undefined : perHour(torch.stftSeconds)]);

const wasmSec = rows[0][1];
console.log(
  `\nlog-mel, ${seconds} s of 16 kHz audio, params ${JSON.stringify(params)}, median of ${repeats}`,
);
console.log('| extractor | s per hour of audio | x real time | dsp-wasm speed-up |');
console.log('|---|---:|---:|---:|');
for (const [name, s] of rows) {
  if (s === undefined) {
    console.log(`| ${name} | skipped (${torch.skipped}) | | |`);
    continue;
  }
  console.log(`| ${name} | ${s.toFixed(3)} | ${Math.round(3600 / s)}x | ${(s / wasmSec).toFixed(2)}x |`);
}
if (!torch.skipped) {
  console.log(
    `torch ${torch.torch} (BLAS: ${torch.blas}; the mel matmul runs there); goal: dsp-wasm >= 1.5x torch`,
  );
}

// Long input: one hour in one call, fresh module instance (explicit bytes = its own instance).
const bytes = new Uint8Array(readFileSync(new URL('../dist/dsp.wasm', import.meta.url)));
const fresh = await wasmMelExtractor({ ...params, wasm: bytes });
const hour = new Float32Array(3600 * params.sampleRate);
for (let offset = 0; offset < hour.length; offset += audio.length) {
  hour.set(audio.subarray(0, Math.min(audio.length, hour.length - offset)), offset);
}
const start = performance.now();
const out = fresh.extract(hour);
const took = (performance.now() - start) / 1000;
const io = hour.byteLength + out.data.byteLength;
console.log(
  `\none hour in one call: ${took.toFixed(2)} s (first call, includes memory growth), shape [${out.shape}], ` +
    `wasm memory ${(fresh.memoryBytes / 2 ** 20).toFixed(0)} MiB = ${(fresh.memoryBytes / io).toFixed(2)}x ` +
    `input+output (${(io / 2 ** 20).toFixed(0)} MiB); limit 2x`,
);

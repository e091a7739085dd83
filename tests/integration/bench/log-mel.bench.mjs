/**
 * One table, one run: dsp-wasm vs dsp-js vs torch float32 (the seed's computation, one thread) on the
 * same speech-like audio, default parameters (16000 Hz, nFft 400, hop 160, 80 mels, normalize).
 * Run: `pnpm --filter @spgdataset/integration-tests bench` (BENCH_SECONDS=600 BENCH_REPEATS=5).
 * On Linux the process pins itself (and torch) to one core with taskset. Goals (issue 6): dsp-wasm
 * >= 2.5x dsp-js and >= 1.5x torch.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { jsMelExtractor } from '@spgdataset/dsp-js';
import { wasmMelExtractor } from '@spgdataset/dsp-wasm';
import { timeTorch } from '../../../packages/dsp-wasm/bench/torch-log-mel.mjs';
import { speechLike } from '../../../scripts/bench-signals.mjs';

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

function time(run) {
  run(); // warm-up: V8 tiers code up over the first calls
  run();
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
const js = await jsMelExtractor(params);
const wasmSec = perHour(time(() => wasm.extract(audio)));
const jsSec = perHour(time(() => js.extract(audio)));
const torch = timeTorch(audio, params, repeats);

const rows = [
  ['dsp-wasm (Rust, wasm SIMD)', wasmSec],
  ['dsp-js (TypeScript, f64)', jsSec],
  ['torch float32 (1 thread)', torch.skipped ? undefined : perHour(torch.seconds)],
  ['  of which torch.stft + power', torch.skipped ? undefined : perHour(torch.stftSeconds)],
];
console.log(
  `\nlog-mel, ${seconds} s of 16 kHz audio, ${JSON.stringify(params)}, one core, median of ${repeats}`,
);
console.log('| extractor | s per hour of audio | x real time | dsp-wasm is faster by |');
console.log('|---|---:|---:|---:|');
for (const [name, s] of rows) {
  if (s === undefined) console.log(`| ${name} | skipped (${torch.skipped}) | | |`);
  else console.log(`| ${name} | ${s.toFixed(3)} | ${Math.round(3600 / s)}x | ${(s / wasmSec).toFixed(2)}x |`);
}
console.log('goals: dsp-wasm >= 2.5x dsp-js, >= 1.5x torch float32');
if (!torch.skipped) console.log(`torch ${torch.torch}, BLAS ${torch.blas} (the mel matmul runs there)`);

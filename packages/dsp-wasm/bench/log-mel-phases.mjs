/**
 * Where `extract()`'s time goes: the same steps as `extract` (src/wasm-mel-extractor.ts and
 * src/wasm-log-mel-finish.ts) driven on dist/dsp.wasm's raw exports, each phase timed in CPU time
 * (process.cpuUsage: a loaded shared machine inflates it less than wall time), default parameters,
 * 600 s of speech-like audio, one core, median of 7 rounds after 3 warm-up rounds, seconds per hour
 * of audio. Phases: copy each 65,536-sample chunk into wasm, STFT + mel + log10 of the chunk
 * (stream_run), copy its frames out to the frame-major scratch, then the finish: copy blocks back in
 * and scan them (statistics), copy them in again and apply + transpose, copy the mel rows out.
 * Run: `node bench/log-mel-phases.mjs` (BENCH_SECONDS=600). Compare the total with the C floor of
 * `bench/log-mel.bench.mjs` (its CPU column).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { speechLike } from '../../../scripts/bench-signals.mjs';

if (process.platform === 'linux' && !process.env.SPG_BENCH_PINNED) {
  if (spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0) {
    const run = spawnSync('taskset', ['-c', '0', process.execPath, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, SPG_BENCH_PINNED: '1' },
    });
    process.exit(run.status ?? 1);
  }
}

const seconds = Number(process.env.BENCH_SECONDS ?? 600);
const [sampleRate, nFft, hop, nMels] = [16000, 400, 160, 80];
const CHUNK = 1 << 16;
const BLOCK = 1 << 18;
const audio = speechLike(seconds * sampleRate, sampleRate);
const bytes = readFileSync(new URL('../dist/dsp.wasm', import.meta.url));
const ex = (await WebAssembly.instantiate(bytes, {})).instance.exports;
const f32 = (ptr, length) => new Float32Array(ex.memory.buffer, ptr >>> 0, length);
const plan = ex.plan_new(sampleRate, nFft, hop, nMels, 0, sampleRate / 2, 0);
const frames = Math.floor(audio.length / hop);
const raw = new Float32Array(frames * nMels);
const target = new Float32Array(frames * nMels);
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const phases = [
  'copy in',
  'STFT+mel+log',
  'frames out',
  'scan copy-in',
  'scan',
  'apply copy-in',
  'apply+transpose',
  'rows out',
];

function round() {
  const t = Object.fromEntries(phases.map((p) => [p, 0]));
  let last = cpuMs();
  const lap = (phase) => {
    const now = cpuMs();
    t[phase] += now - last;
    last = now;
  };
  ex.stream_begin(plan);
  let at = 0;
  for (let i = 0; i < audio.length; i += CHUNK) {
    const chunk = audio.subarray(i, i + CHUNK);
    f32(ex.stream_input_ptr(plan, chunk.length), chunk.length).set(chunk);
    lap('copy in');
    ex.stream_run(plan, i + CHUNK >= audio.length ? 1 : 0);
    lap('STFT+mel+log');
    const values = ex.plan_frames(plan) * nMels;
    raw.set(f32(ex.plan_output_ptr(plan), values), at);
    at += values;
    lap('frames out');
  }
  const max = ex.stream_max(plan);
  const [floor, shift] = [max - 8, (max + 4) / 4 - 1];
  for (let i = 0; i < raw.length; i += BLOCK) {
    const block = raw.subarray(i, i + BLOCK);
    f32(ex.finish_values_ptr(block.length), block.length).set(block);
    lap('scan copy-in');
    ex.finish_scan(block.length, floor, shift, i % 4);
    lap('scan');
  }
  const step = Math.floor(BLOCK / nMels) * nMels;
  for (let i = 0; i < raw.length; i += step) {
    const block = raw.subarray(i, i + step);
    f32(ex.finish_values_ptr(block.length), block.length).set(block);
    lap('apply copy-in');
    // Any mean and 1 / std: the work does not depend on them.
    ex.finish_apply_transposed(block.length, nMels, floor, 0.1, 1.1);
    lap('apply+transpose');
    const count = block.length / nMels;
    const out = f32(ex.finish_out_ptr(), block.length);
    for (let m = 0; m < nMels; m++)
      target.set(out.subarray(m * count, (m + 1) * count), m * frames + i / nMels);
    lap('rows out');
  }
  return t;
}

for (let r = 0; r < 3; r++) round();
const rounds = Array.from({ length: 7 }, round);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perHour = (ms) => (ms / 1000) * (3600 / seconds);
console.log(
  `extract() phases, ${seconds} s of 16 kHz audio, default params, CPU time, median of 7 rounds, one core`,
);
console.log('| phase | CPU s per hour of audio | share |');
console.log('|---|---:|---:|');
const medians = phases.map((p) => median(rounds.map((r) => r[p])));
const total = medians.reduce((a, b) => a + b, 0);
phases.forEach((p, i) => {
  console.log(`| ${p} | ${perHour(medians[i]).toFixed(3)} | ${((100 * medians[i]) / total).toFixed(0)}% |`);
});
console.log(`| total | ${perHour(total).toFixed(3)} | |`);

/**
 * dsp-wasm against a C + float32 FFTW floor (same algorithm, see c-logmel.c) and torch float32 (the
 * seed's computation), one thread, on the same speech-like audio, in one run; default parameters
 * (16000 Hz, nFft 400, hop 160, 80 mels, normalize). dsp-wasm runs twice: `extractInto` a reused
 * buffer (what a build does) and `extract` (a new output array per call, the public one-shot
 * call). Page faults per call (`process.resourceUsage().minorPageFault`) show the cost of fresh
 * memory. The C floor runs three ways: its output reused (the floor; like extractInto), a new output
 * per call with malloc/free (glibc defaults; like extract) and fresh pages per call (mmap/munmap:
 * what extract's new array costs when the allocator has returned the previous one), each with its
 * page faults, so both like-for-like ratios are visible; the ratios stay against the reused floor. CPU time (process CPU time of each call, and of the C runs) is printed beside wall time:
 * a loaded shared machine inflates it less. Then one hour of audio in one call on a fresh
 * instance, reporting wasm memory.
 * Run: `pnpm --filter @spgdataset/dsp-wasm bench` (BENCH_SECONDS=600 BENCH_REPEATS=5). On Linux the
 * process pins itself (and the C and torch runs) to one core with taskset. dsp-js is compared in
 * tests/integration (`pnpm --filter @spgdataset/integration-tests bench`): plugins do not depend on
 * each other.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { wasmMelExtractor } from '@spgdataset/dsp-wasm';
import { speechLike } from '../../../scripts/bench-signals.mjs';
import { C_FLAGS, prepareC } from './c-log-mel.mjs';
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
const faults = () => process.resourceUsage().minorPageFault;
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Seconds (wall and this process's CPU time) and page faults of one call. */
function once(run) {
  const f0 = faults();
  const c0 = cpuSeconds();
  const start = performance.now();
  run();
  const seconds = (performance.now() - start) / 1000;
  return { seconds, cpuSeconds: cpuSeconds() - c0, faults: faults() - f0 };
}

const audio = speechLike(seconds * params.sampleRate, params.sampleRate);
// Started before dsp-wasm's memory and the output buffer exist (see prepareC).
const c = prepareC(audio, params);
const wasm = await wasmMelExtractor(params);
const frames = wasm.frameCount(audio.length);
const reused = new Float32Array(params.nMels * frames);
// Warm-up: V8 compiles wasm functions again, optimised, once they are hot.
for (let i = 0; i < 3; i++) {
  wasm.extractInto(audio, reused);
  wasm.extract(audio);
}
// Rounds interleave dsp-wasm and C, so load from other work on the machine hits both alike; each
// side's timed runs follow an untimed warm-up run in the same round.
const runs = { into: [], fresh: [], c: [], cMalloc: [], cMmap: [] };
let cLast;
try {
  for (let r = 0; r < repeats; r++) {
    // One untimed call first, as the C side times a run right after a warm-up run of its own: the
    // C process just evicted the caches, and the first call after it measured ~0.05 s per hour
    // slower whichever row it was.
    wasm.extractInto(audio, reused);
    runs.into.push(once(() => wasm.extractInto(audio, reused)));
    runs.fresh.push(once(() => wasm.extract(audio)));
    if (!c.skipped) {
      // The output (for the agreement check) only in the last round: reading it allocates 19 MB,
      // whose garbage collection would otherwise land in the next rounds' dsp-wasm timings.
      cLast = await c.run(1, r === repeats - 1);
      runs.c.push({ seconds: cLast.seconds, cpuSeconds: cLast.cpuSeconds, faults: cLast.faults });
      // malloc/free: the median of 3 runs after the warm-up, the steady state of a program calling
      // it repeatedly (glibc serves the second and later outputs from memory it kept once the first
      // was freed); mmap/munmap: fresh pages every run.
      for (const [output, into, runsOf] of [
        ['malloc', runs.cMalloc, 3],
        ['mmap', runs.cMmap, 1],
      ]) {
        const run = await c.run(runsOf, false, output);
        into.push({ seconds: run.seconds, cpuSeconds: run.cpuSeconds, faults: run.faults });
      }
    }
  }
} finally {
  c.dispose?.();
}
const summary = (xs) => ({
  seconds: median(xs.map((x) => x.seconds)),
  cpuSeconds: median(xs.map((x) => x.cpuSeconds)),
  faults: median(xs.map((x) => x.faults ?? 0)),
});
const into = summary(runs.into);
const fresh = summary(runs.fresh);
const cTime = c.skipped ? undefined : summary(runs.c);
const cMalloc = c.skipped ? undefined : summary(runs.cMalloc);
const cMmap = c.skipped ? undefined : summary(runs.cMmap);
const torch = timeTorch(audio, params, repeats);

const rows = [
  [
    'dsp-wasm extractInto (reused output, as builds run it)',
    perHour(into.seconds),
    into.faults,
    undefined,
    into,
  ],
  ['dsp-wasm extract (new output array per call)', perHour(fresh.seconds), fresh.faults, undefined, fresh],
  [
    'C + FFTW float32 (floor: output reused)',
    cTime ? perHour(cTime.seconds) : undefined,
    cTime?.faults,
    c.skipped,
    cTime,
  ],
  [
    'C + FFTW float32, new output per call (malloc/free)',
    cMalloc ? perHour(cMalloc.seconds) : undefined,
    cMalloc?.faults,
    c.skipped,
    cMalloc,
  ],
  [
    'C + FFTW float32, fresh pages per call (mmap/munmap)',
    cMmap ? perHour(cMmap.seconds) : undefined,
    cMmap?.faults,
    c.skipped,
    cMmap,
  ],
  ['torch float32 (1 thread)', torch.skipped ? undefined : perHour(torch.seconds), undefined, torch.skipped],
  [
    '  of which torch.stft + power',
    torch.skipped ? undefined : perHour(torch.stftSeconds),
    undefined,
    torch.skipped,
  ],
];
const floor = cTime ? perHour(cTime.seconds) : undefined;
const cpuFloor = cTime ? perHour(cTime.cpuSeconds) : undefined;

console.log(
  `\nlog-mel, ${seconds} s of 16 kHz audio, params ${JSON.stringify(params)}, median of ${repeats} interleaved rounds, one core`,
);
console.log(
  '| extractor | s per hour of audio | x real time | vs C floor | CPU s per hour | CPU vs C floor | page faults per call |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, s, pf, skipped, timed] of rows) {
  if (s === undefined) {
    console.log(`| ${name} | skipped (${skipped}) | | | | | |`);
    continue;
  }
  const ratio = floor ? `${(s / floor).toFixed(2)}x` : '';
  // CPU time: less inflated than wall time by other work on a shared machine (torch: not measured).
  const cpu = timed?.cpuSeconds === undefined ? undefined : perHour(timed.cpuSeconds);
  const cpuRatio = cpu !== undefined && cpuFloor ? `${(cpu / cpuFloor).toFixed(2)}x` : '';
  console.log(
    `| ${name} | ${s.toFixed(3)} | ${Math.round(3600 / s)}x | ${ratio} | ${cpu?.toFixed(3) ?? ''} | ${cpuRatio} | ${pf ?? ''} |`,
  );
}
if (cLast) {
  let maxDiff = 0;
  for (let i = 0; i < reused.length; i++) maxDiff = Math.max(maxDiff, Math.abs(reused[i] - cLast.output[i]));
  console.log(
    `C floor: gcc ${C_FLAGS.join(' ')} (our loops 128-bit) + Debian libfftw3f, whose planner picks its codelets at run time (AVX ones too; it has no switch to forbid them), last plan ${cLast.plan}; max |dsp-wasm - C| = ${maxDiff.toExponential(1)} (same algorithm); goal: dsp-wasm <= 1.2x the floor`,
  );
}
if (cTime && cMalloc && cMmap) {
  const x = (a, b) => `${(a / b).toFixed(2)}x`;
  console.log(
    `like for like (wall, CPU): extractInto / C output reused ${x(into.seconds, cTime.seconds)}, ${x(into.cpuSeconds, cTime.cpuSeconds)}; extract / C malloc per call ${x(fresh.seconds, cMalloc.seconds)}, ${x(fresh.cpuSeconds, cMalloc.cpuSeconds)}; extract / C fresh pages per call ${x(fresh.seconds, cMmap.seconds)}, ${x(fresh.cpuSeconds, cMmap.cpuSeconds)}`,
  );
}
if (!torch.skipped) {
  console.log(
    `torch ${torch.torch} (BLAS: ${torch.blas}; the mel matmul runs there); goal: dsp-wasm >= 1.5x torch`,
  );
}
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')} (machine shared; ratios within this run are the claim)`,
);

// Long input: one hour in one call, fresh module instance (explicit bytes = its own instance).
const bytes = new Uint8Array(readFileSync(new URL('../dist/dsp.wasm', import.meta.url)));
const fresh1h = await wasmMelExtractor({ ...params, wasm: bytes });
const hour = new Float32Array(3600 * params.sampleRate);
for (let offset = 0; offset < hour.length; offset += audio.length) {
  hour.set(audio.subarray(0, Math.min(audio.length, hour.length - offset)), offset);
}
const start = performance.now();
const out = fresh1h.extract(hour);
const took = (performance.now() - start) / 1000;
const io = hour.byteLength + out.data.byteLength;
console.log(
  `\none hour in one call: ${took.toFixed(2)} s (first call, includes memory growth), shape [${out.shape}], ` +
    `wasm memory ${(fresh1h.memoryBytes / 2 ** 20).toFixed(0)} MiB = ${(fresh1h.memoryBytes / io).toFixed(2)}x ` +
    `input+output (${(io / 2 ** 20).toFixed(0)} MiB); limit 2x`,
);

/**
 * Resamplers on the same speech-like audio, in one run, 44.1 -> 16 kHz and 48 -> 16 kHz mono:
 * the previous core/sinc (v1, frozen in sinc-resampler-v1.mjs), core/sinc (TypeScript, float64),
 * dsp-wasm/resampler (wasm SIMD, float32), and the Debian ffmpeg's libswresample, default settings
 * (`aresample=16000`) and soxr at 28-bit precision (`aresample=16000:resampler=soxr:precision=28`).
 * Run: `pnpm --filter @spgdataset/dsp-wasm bench:resample` (BENCH_SECONDS=600 BENCH_REPEATS=5).
 * On Linux the process pins itself (and ffmpeg, which inherits it) to core 0 with taskset.
 *
 * Times are CPU seconds (user + system; wall time for ffmpeg when GNU time is missing). Ours are
 * timed in-process (one call on the whole signal, after a warm-up call), with the minor page faults
 * of the call: each call returns a fresh array, whose pages the kernel maps on first write (glibc
 * serves arrays of 32 MiB or more, e.g. 600 s at 16 kHz, from a fresh mmap every time).
 * ffmpeg is timed as a process reading the raw float32 file BENCH_LOOPS times over (default: one
 * hour of audio) and writing float32 to the null muxer; its resampling time is a run minus the
 * median of the same command with `-af anull` and no rate change (process start, file reading,
 * format handling), so it counts the resampler alone. Each of BENCH_REPEATS rounds runs every
 * resampler once; the table gives the median round and the best round.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { designResampler, SINC_RESAMPLER_DEFAULTS, sincResampler } from '@spgdataset/core';
import { loadDsp, wasmResampler } from '@spgdataset/dsp-wasm';
import { speechLike } from '../../../scripts/bench-signals.mjs';
import { sincResamplerV1 } from './sinc-resampler-v1.mjs';

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

const seconds = Number(process.env.BENCH_SECONDS ?? 600);
const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const loops = Number(process.env.BENCH_LOOPS ?? Math.max(1, Math.round(3600 / seconds)));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const ffmpegVersion = (() => {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
})();

// CPU seconds (user + system) rather than wall time: on a shared machine, time spent waiting for
// the core is not the resampler's. GNU time reports ffmpeg's; without it, wall time is used.
const gnuTime = spawnSync('/usr/bin/time', ['-f', '%U', 'true'], { encoding: 'utf8' }).status === 0;

/** Seconds of one ffmpeg run over `file` (loops x) with `filter`, float32 to the null muxer. */
function runFfmpeg(file, rate, filter) {
  const args = ['-nostdin', '-v', 'error', '-stream_loop', String(loops - 1), '-f', 'f32le'];
  args.push(
    '-ar',
    String(rate),
    '-ac',
    '1',
    '-i',
    file,
    '-af',
    filter,
    '-c:a',
    'pcm_f32le',
    '-f',
    'null',
    '-',
  );
  const start = performance.now();
  const result = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', 'ffmpeg', ...args], { encoding: 'utf8' })
    : spawnSync('ffmpeg', args, { encoding: 'utf8' });
  const wall = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  return cpu ? Number(cpu[1]) + Number(cpu[2]) : wall;
}

/** CPU seconds and minor page faults of one call. */
function runOnce(fn) {
  const faults = process.resourceUsage().minorPageFault;
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return {
    seconds: (used.user + used.system) / 1e6,
    faults: process.resourceUsage().minorPageFault - faults,
  };
}

/**
 * The same dsp.wasm resampler through its raw ABI: the signal copied in 65,536 samples at a time
 * (as `resample()` does), the outputs left in wasm memory (no output array). This is what ffmpeg's
 * rows count (their file reading and output writing are subtracted); the difference to the
 * `resample()` row is the returned array, mostly first-write page faults on its fresh memory.
 */
async function wasmEngine(from, to) {
  const dsp = await loadDsp();
  const ex = dsp.exports;
  const design = designResampler(from, to, SINC_RESAMPLER_DEFAULTS);
  const handle = ex.resampler_new(design.up, design.down);
  for (const stage of design.stages) {
    const polyphase = stage.kind === 'polyphase';
    const ptr =
      (polyphase
        ? ex.resampler_add_polyphase(handle, stage.up, stage.down, stage.taps, stage.rows)
        : ex.resampler_add_halfband(handle, stage.direction === 'decimate' ? 1 : 0, stage.pairs)) >>> 0;
    if (ptr === 0) throw new Error(`resampler_add failed (${ex.last_error()})`);
    dsp.f32(ptr, stage.coefficients.length).set(stage.coefficients);
  }
  return (audio) => {
    if (ex.resampler_reset(handle) !== 0) throw new Error('resampler_reset failed');
    let outputs = 0;
    for (let i = 0; i < audio.length; i += 65536) {
      const n = Math.min(65536, audio.length - i);
      dsp.f32(ex.resampler_input_ptr(handle, n) >>> 0, n).set(audio.subarray(i, i + n));
      if (ex.resampler_run(handle, i + n >= audio.length ? 1 : 0) !== 0)
        throw new Error('resampler_run failed');
      outputs += ex.resampler_output_len(handle);
    }
    return outputs;
  };
}

const old = sincResamplerV1();
const core = sincResampler();
const wasm = await wasmResampler();
const dir = mkdtempSync(join(tmpdir(), 'spg-resample-bench-'));
try {
  for (const from of [44100, 48000]) {
    const to = 16000;
    const audio = speechLike(seconds * from, from);
    const engine = await wasmEngine(from, to);
    if (engine(audio) !== wasm.resample(audio, from, to).length)
      throw new Error('engine output length differs');
    // Seconds of work per hour of audio, one sample per round.
    const ours = [
      ['core/sinc v1 (before: passband 0.90, 80 dB)', () => old.resample(audio, from, to)],
      ['core/sinc v2 (TypeScript, float64)', () => core.resample(audio, from, to)],
      ['dsp-wasm/resampler (wasm SIMD, float32)', () => wasm.resample(audio, from, to)],
      ['dsp-wasm engine only (raw ABI, outputs left in wasm memory)', () => engine(audio)],
    ];
    for (const [, fn] of ours) fn(); // warm-up: tables, V8 tiers
    const filters = [
      ['ffmpeg swr, default (`aresample=16000`)', 'aresample=16000'],
      [
        'ffmpeg soxr, precision 28 (`aresample=16000:resampler=soxr:precision=28`)',
        'aresample=16000:resampler=soxr:precision=28',
      ],
    ];
    const samples = new Map([...ours.map(([name]) => [name, []]), ...filters.map(([name]) => [name, []])]);
    const faults = new Map(ours.map(([name]) => [name, []]));
    const baseline = [];
    const file = join(dir, `in-${from}.f32`);
    if (ffmpegVersion) writeFileSync(file, new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength));
    // Rounds interleave every resampler, so load changes on a shared machine hit them alike.
    for (let r = 0; r < repeats; r++) {
      for (const [name, fn] of ours) {
        const run = runOnce(fn);
        samples.get(name).push((run.seconds * 3600) / seconds);
        faults.get(name).push((run.faults * 3600) / seconds);
      }
      if (!ffmpegVersion) continue;
      baseline.push(runFfmpeg(file, from, 'anull'));
      for (const [name, filter] of filters) samples.get(name).push(runFfmpeg(file, from, filter));
    }
    const base = ffmpegVersion ? median(baseline) : 0;
    const perHour = (name) => {
      const xs = samples.get(name);
      if (ours.some(([n]) => n === name)) return { median: median(xs), best: Math.min(...xs) };
      const scale = (s) => ((s - base) * 3600) / (seconds * loops);
      return { median: scale(median(xs)), best: scale(Math.min(...xs)) };
    };
    console.log(
      `\n${from} -> ${to} Hz, ${seconds} s of speech-like audio, ${repeats} interleaved rounds, one core`,
    );
    console.log(
      '| resampler | s per hour of audio (median) | x real time (median) | x real time (best round) | page faults per hour of audio (median) |',
    );
    console.log('|---|---:|---:|---:|---:|');
    for (const name of samples.keys()) {
      if (samples.get(name).length === 0) continue;
      const { median: m, best } = perHour(name);
      const pf = faults.has(name) ? String(Math.round(median(faults.get(name)))) : '-';
      console.log(
        `| ${name} | ${m.toFixed(3)} | ${Math.round(3600 / m)}x | ${Math.round(3600 / best)}x | ${pf} |`,
      );
    }
    if (ffmpegVersion) {
      console.log(
        `ffmpeg without resampling (\`-af anull\`, subtracted): ${base.toFixed(3)} s per run of ${loops} x ${seconds} s` +
          (gnuTime ? ' (CPU time from /usr/bin/time)' : ' (wall time: /usr/bin/time not found)'),
      );
    }
  }
  console.log(ffmpegVersion ? `\n${ffmpegVersion}` : '\nffmpeg: not found (apt-get install ffmpeg)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

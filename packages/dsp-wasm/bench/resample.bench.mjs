/**
 * Resamplers on the same speech-like audio, in one run, 44.1 -> 16 kHz and 48 -> 16 kHz mono:
 * the previous core/sinc (v1, frozen in sinc-resampler-v1.mjs), core/sinc (TypeScript, float64),
 * dsp-wasm/resampler (wasm SIMD, float32), and the Debian ffmpeg's libswresample, default settings
 * (`aresample=16000`) and soxr at 28-bit precision (`aresample=16000:resampler=soxr:precision=28`).
 * Run: `pnpm --filter @spgdataset/dsp-wasm bench:resample` (BENCH_SECONDS=600 BENCH_REPEATS=5).
 * On Linux the process pins itself (and ffmpeg, which inherits it) to core 0 with taskset.
 *
 * Ours are timed in-process (median wall time of BENCH_REPEATS calls on the whole signal, after
 * warm-up calls). ffmpeg is timed as a process reading the raw float32 file BENCH_LOOPS times over
 * (default: one hour of audio) and writing float32 to the null muxer; its resampling time is the
 * median run minus the median of the same command with `-af anull` and no rate change (process
 * start, file reading, format handling), so it counts the resampler alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sincResampler } from '@spgdataset/core';
import { wasmResampler } from '@spgdataset/dsp-wasm';
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

function time(run, warmups = 2) {
  for (let i = 0; i < warmups; i++) run();
  const runs = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run();
    runs.push((performance.now() - start) / 1000);
  }
  return median(runs);
}

const ffmpegVersion = (() => {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
})();

/** Median wall seconds of ffmpeg filtering `file` (loops x) with `filter`, float32 to the null muxer. */
function timeFfmpeg(file, rate, filter) {
  const args = [
    '-nostdin',
    '-v',
    'error',
    '-stream_loop',
    String(loops - 1),
    '-f',
    'f32le',
    '-ar',
    String(rate),
  ];
  args.push('-ac', '1', '-i', file, '-af', filter, '-c:a', 'pcm_f32le', '-f', 'null', '-');
  const runs = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    const result = spawnSync('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    runs.push((performance.now() - start) / 1000);
    if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderr}`);
  }
  return median(runs);
}

const old = sincResamplerV1();
const core = sincResampler();
const wasm = await wasmResampler();
const dir = mkdtempSync(join(tmpdir(), 'spg-resample-bench-'));
try {
  for (const from of [44100, 48000]) {
    const to = 16000;
    const audio = speechLike(seconds * from, from);
    const perHour = (s) => (s * 3600) / seconds;
    const rows = [
      ['core/sinc v1 (before: passband 0.90, 80 dB)', perHour(time(() => old.resample(audio, from, to), 1))],
      ['core/sinc v2 (TypeScript, float64)', perHour(time(() => core.resample(audio, from, to)))],
      ['dsp-wasm/resampler (wasm SIMD, float32)', perHour(time(() => wasm.resample(audio, from, to)))],
    ];
    if (ffmpegVersion) {
      const file = join(dir, `in-${from}.f32`);
      writeFileSync(file, new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength));
      const base = timeFfmpeg(file, from, 'anull');
      const hour = (s) => ((s - base) * 3600) / (seconds * loops);
      rows.push(['ffmpeg swr, default (`aresample=16000`)', hour(timeFfmpeg(file, from, 'aresample=16000'))]);
      rows.push([
        'ffmpeg soxr, precision 28 (`aresample=16000:resampler=soxr:precision=28`)',
        hour(timeFfmpeg(file, from, 'aresample=16000:resampler=soxr:precision=28')),
      ]);
      rows.push([
        `  (ffmpeg baseline without resampling, subtracted: ${(base / loops).toFixed(3)} s per ${seconds} s)`,
      ]);
    }
    console.log(`\n${from} -> ${to} Hz, ${seconds} s of speech-like audio, median of ${repeats}, one core`);
    console.log('| resampler | s per hour of audio | x real time |');
    console.log('|---|---:|---:|');
    for (const [name, s] of rows) {
      console.log(
        s === undefined ? `| ${name} | | |` : `| ${name} | ${s.toFixed(3)} | ${Math.round(3600 / s)}x |`,
      );
    }
  }
  console.log(
    ffmpegVersion
      ? `\n${ffmpegVersion}, ${loops} x ${seconds} s per ffmpeg run`
      : '\nffmpeg: not found (apt-get install ffmpeg)',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

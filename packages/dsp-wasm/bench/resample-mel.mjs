/**
 * How far each resampler's log-mel is from an ideal band-limited resampler's, in the top mel bands
 * where resamplers differ: 3 s of white noise at 44.1 kHz to 16 kHz, then dsp-wasm's log-mel
 * (16 kHz, nFft 400, hop 160, 80 mels, no normalisation: values are (log10 + 4) / 4). The ideal
 * reference is a float64 Kaiser-windowed sinc (beta 14, +-2048 taps) cut off at 8 kHz.
 * Run: `node bench/resample-mel.mjs` (needs ffmpeg for its two rows).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sincResampler } from '@spgdataset/core';
import { wasmMelExtractor, wasmResampler } from '@spgdataset/dsp-wasm';
import { sincResamplerV1 } from './sinc-resampler-v1.mjs';

const from = 44100;
const to = 16000;
const x = new Float32Array(from * 3);
let state = 1;
for (let i = 0; i < x.length; i++) {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  x[i] = (state / 2 ** 32 - 0.5) * 0.5;
}

function besselI0(v) {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 300; k++) {
    term *= (v * v) / 4 / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function ideal(signal) {
  const half = 2048;
  const beta = 14;
  const fc = to / 2 / from;
  const i0Beta = besselI0(beta);
  const out = new Float32Array(Math.round((signal.length * to) / from));
  for (let k = 0; k < out.length; k++) {
    const t = (k * from) / to;
    const base = Math.floor(t);
    let acc = 0;
    for (let n = Math.max(0, base - half + 1); n <= Math.min(signal.length - 1, base + half); n++) {
      const tau = t - n;
      const u = tau / half;
      if (Math.abs(u) > 1) continue;
      const z = 2 * fc * tau;
      const sinc = z === 0 ? 1 : Math.sin(Math.PI * z) / (Math.PI * z);
      acc += signal[n] * 2 * fc * sinc * (besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta);
    }
    out[k] = acc;
  }
  return out;
}

const rows = {
  'core/sinc v1 (before)': sincResamplerV1().resample(x, from, to),
  'core/sinc v2': sincResampler().resample(x, from, to),
  'dsp-wasm/resampler': (await wasmResampler()).resample(x, from, to),
};
if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0) {
  const dir = mkdtempSync(join(tmpdir(), 'spg-resample-mel-'));
  try {
    writeFileSync(join(dir, 'in.f32'), new Uint8Array(x.buffer));
    for (const [name, filter] of [
      ['ffmpeg swr default', 'aresample=16000'],
      ['ffmpeg soxr precision 28', 'aresample=16000:resampler=soxr:precision=28'],
    ]) {
      const args = ['-v', 'error', '-f', 'f32le', '-ar', String(from), '-ac', '1', '-i', join(dir, 'in.f32')];
      execFileSync('ffmpeg', [...args, '-af', filter, '-f', 'f32le', '-y', join(dir, 'out.f32')]);
      const bytes = readFileSync(join(dir, 'out.f32'));
      rows[name] = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mel = await wasmMelExtractor({ sampleRate: to, nFft: 400, hopLength: 160, nMels: 80 });
const length = Math.min(...Object.values(rows).map((y) => y.length));
const reference = mel.extract(ideal(x).subarray(0, length));
const frames = reference.shape[1];
const bands = [74, 75, 76, 77, 78, 79];
console.log(`\nlog-mel minus the ideal resampler's, mean over frames (white noise, ${from} -> ${to} Hz)`);
console.log(`| resampler | ${bands.map((b) => `band ${b}`).join(' | ')} | max abs (these bands) |`);
console.log(`|---|${bands.map(() => '---:').join('|')}|---:|`);
for (const [name, y] of Object.entries(rows)) {
  const m = mel.extract(y.subarray(0, length));
  let worst = 0;
  const means = bands.map((b) => {
    let sum = 0;
    for (let t = 5; t < frames - 5; t++) {
      const d = m.data[b * frames + t] - reference.data[b * frames + t];
      sum += d;
      worst = Math.max(worst, Math.abs(d));
    }
    return (sum / (frames - 10)).toFixed(3);
  });
  console.log(`| ${name} | ${means.join(' | ')} | ${worst.toFixed(3)} |`);
}
console.log('(band 79 spans 7.4-8 kHz, band 78 7.1-7.7 kHz, band 74 6.1-6.6 kHz)');

// An independent float64 log-mel (docs/behaviour.md#spectrogram) for tests: naive DFT, dense librosa-style
// Slaney filterbank, torch 'reflect' padding. Slow and obviously correct, not shared with the crate.
import type { MelParams } from '@spgdataset/core';

const hzToMel = (hz: number, htk: boolean) => {
  if (htk) return 2595 * Math.log10(1 + hz / 700);
  const fSp = 200 / 3;
  return hz >= 1000 ? 1000 / fSp + Math.log(hz / 1000) / (Math.log(6.4) / 27) : hz / fSp;
};

const melToHz = (mel: number, htk: boolean) => {
  if (htk) return 700 * (10 ** (mel / 2595) - 1);
  const fSp = 200 / 3;
  return mel >= 1000 / fSp ? 1000 * Math.exp((Math.log(6.4) / 27) * (mel - 1000 / fSp)) : fSp * mel;
};

/** librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm='slaney') in float64. */
export function melFilters(p: MelParams): Float64Array[] {
  const bins = Math.floor(p.nFft / 2) + 1;
  const lo = hzToMel(p.fMin, p.htk);
  const hi = hzToMel(p.fMax, p.htk);
  const melF = Array.from({ length: p.nMels + 2 }, (_, i) =>
    melToHz(lo + ((hi - lo) * i) / (p.nMels + 1), p.htk),
  );
  return Array.from({ length: p.nMels }, (_, m) => {
    const row = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      const f = (k * p.sampleRate) / p.nFft;
      const [f0, f1, f2] = [melF[m]!, melF[m + 1]!, melF[m + 2]!];
      const lower = (f - f0) / (f1 - f0);
      const upper = (f2 - f) / (f2 - f1);
      row[k] = Math.max(0, Math.min(lower, upper)) * (2 / (f2 - f0));
    }
    return row;
  });
}

const reflect = (i: number, len: number) => (i < 0 ? -i : i >= len ? 2 * (len - 1) - i : i);

/** `[nMels * frames]` mel-major float64 log-mel of `x`. */
export function referenceLogMel(x: Float32Array, p: MelParams): Float64Array {
  const n = p.nFft;
  const frames = Math.floor(x.length / p.hopLength);
  const bins = Math.floor(n / 2) + 1;
  const filters = melFilters(p);
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    cos[j] = Math.cos((2 * Math.PI * j) / n);
    sin[j] = Math.sin((2 * Math.PI * j) / n);
  }
  const win = Float64Array.from({ length: n }, (_, j) => 0.5 - 0.5 * cos[j]!);
  const out = new Float64Array(p.nMels * frames);
  const seg = new Float64Array(n);
  const power = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    for (let j = 0; j < n; j++)
      seg[j] = x[reflect(t * p.hopLength + j - Math.floor(n / 2), x.length)]! * win[j]!;
    for (let k = 0; k < bins; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        const r = (j * k) % n;
        re += seg[j]! * cos[r]!;
        im -= seg[j]! * sin[r]!;
      }
      power[k] = re * re + im * im;
    }
    for (let m = 0; m < p.nMels; m++) {
      let mel = 0;
      const row = filters[m]!;
      for (let k = 0; k < bins; k++) mel += row[k]! * power[k]!;
      out[m * frames + t] = Math.log10(Math.max(mel, 1e-10));
    }
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const v of out) max = Math.max(max, v);
  for (let i = 0; i < out.length; i++) out[i] = (Math.max(out[i]!, max - 8) + 4) / 4;
  if (p.normalize && out.length > 1) {
    let sum = 0;
    for (const v of out) sum += v;
    const mean = sum / out.length;
    let sq = 0;
    for (const v of out) sq += (v - mean) ** 2;
    const std = Math.sqrt(sq / (out.length - 1));
    for (let i = 0; i < out.length; i++) out[i] = (out[i]! - mean) / std;
  }
  return out;
}

/** Deterministic test signals (LCG noise, tones, chirp), float32. */
export function testSignal(
  kind: 'noise' | 'chirp' | 'quiet',
  length: number,
  sampleRate: number,
  seed = 1,
): Float32Array {
  let state = seed >>> 0;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Float32Array.from({ length }, (_, i) => {
    const t = i / sampleRate;
    if (kind === 'noise') return rand() * 1.6;
    if (kind === 'quiet') return 1e-4 * Math.sin(2 * Math.PI * 440 * t) + 1e-5 * rand();
    return (
      0.6 * Math.sin(2 * Math.PI * (100 + 2000 * t) * t) +
      0.2 * Math.sin(2 * Math.PI * 3000 * t) +
      0.01 * rand()
    );
  });
}

/** Max and 99.9th percentile of |a - b|. */
export function errorStats(a: Float32Array, b: Float64Array): { max: number; p999: number } {
  const d = Float64Array.from(a, (v, i) => Math.abs(v - b[i]!)).sort();
  if (d.length === 0) return { max: 0, p999: 0 };
  return { max: d[d.length - 1]!, p999: d[Math.min(d.length - 1, Math.floor(d.length * 0.999))]! };
}

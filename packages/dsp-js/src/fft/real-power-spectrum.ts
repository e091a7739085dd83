import type { ComplexFft } from './complex-fft';
import { createComplexFft } from './create-complex-fft';

/** `|X[k]|^2` for k = 0 .. floor(n/2) of the DFT of a real frame of length n. Allocates nothing per call. */
export interface RealPowerSpectrum {
  readonly size: number;
  readonly bins: number;
  compute(frame: Float64Array, power: Float64Array): void;
}

/**
 * Even n: one complex FFT of n/2 points on z[j] = x[2j] + i x[2j+1], then the split
 * `X[k] = E[k] + W_n^k O[k]` with `E = (Z[k] + conj Z[n/2-k]) / 2`, `O = (Z[k] - conj Z[n/2-k]) / 2i`.
 * Odd n: a full complex FFT with zero imaginary part.
 */
export function createRealPowerSpectrum(size: number): RealPowerSpectrum {
  const bins = Math.floor(size / 2) + 1;
  if (size % 2 === 1) return oddPowerSpectrum(size, bins, createComplexFft(size));
  const half = size / 2;
  const fft = createComplexFft(half);
  const re = new Float64Array(half);
  const im = new Float64Array(half);
  const twiddleRe = new Float64Array(half + 1);
  const twiddleIm = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    twiddleRe[k] = Math.cos((2 * Math.PI * k) / size);
    twiddleIm[k] = -Math.sin((2 * Math.PI * k) / size);
  }
  return {
    size,
    bins,
    compute(frame, power) {
      for (let j = 0; j < half; j++) {
        re[j] = frame[2 * j]!;
        im[j] = frame[2 * j + 1]!;
      }
      fft.forward(re, im);
      for (let k = 0; k <= half; k++) {
        const a = k === half ? 0 : k;
        const b = k === 0 ? 0 : half - k;
        const zr = re[a]!;
        const zi = im[a]!;
        const cr = re[b]!;
        const ci = -im[b]!;
        const er = 0.5 * (zr + cr);
        const ei = 0.5 * (zi + ci);
        const or = 0.5 * (zi - ci);
        const oi = -0.5 * (zr - cr);
        const wr = twiddleRe[k]!;
        const wi = twiddleIm[k]!;
        const xr = er + wr * or - wi * oi;
        const xi = ei + wr * oi + wi * or;
        power[k] = xr * xr + xi * xi;
      }
    },
  };
}

function oddPowerSpectrum(size: number, bins: number, fft: ComplexFft): RealPowerSpectrum {
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  return {
    size,
    bins,
    compute(frame, power) {
      re.set(frame.subarray(0, size));
      im.fill(0);
      fft.forward(re, im);
      for (let k = 0; k < bins; k++) power[k] = re[k]! * re[k]! + im[k]! * im[k]!;
    },
  };
}

import { describe, expect, it } from 'vitest';
import { createComplexFft } from '../src/fft/create-complex-fft';
import { fftRadices, nextFastLength } from '../src/fft/factorize';
import { createRealPowerSpectrum } from '../src/fft/real-power-spectrum';

/** Deterministic pseudo-random values in [-1, 1). */
function randomValues(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Textbook O(n^2) DFT; the angle uses (j k mod n) so it stays exact for large n. */
function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const angle = (-2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      sr += re[j]! * c - im[j]! * s;
      si += re[j]! * s + im[j]! * c;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return [outRe, outIm];
}

const lengths = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 16, 17, 19, 23, 25, 27, 49, 60, 97, 100, 101, 121, 128, 143, 194,
  200, 210, 256, 289, 400, 401, 500, 512, 800, 997, 1000, 1024,
];

describe('createComplexFft', () => {
  for (const n of lengths) {
    it(`matches a naive DFT for n = ${n}${fftRadices(n) ? '' : ' (Bluestein)'}`, () => {
      const re = randomValues(n, n);
      const im = randomValues(n, n + 1000);
      const [expectedRe, expectedIm] = naiveDft(re, im);
      createComplexFft(n).forward(re, im);
      let worst = 0;
      for (let k = 0; k < n; k++) {
        worst = Math.max(worst, Math.abs(re[k]! - expectedRe[k]!), Math.abs(im[k]! - expectedIm[k]!));
      }
      // Inputs are O(1), outputs O(sqrt n); the naive DFT itself carries ~n * 1e-16 of rounding.
      expect(worst).toBeLessThan(1e-12 * Math.max(1, n));
    });
  }

  it('gives the same result when a plan is reused', () => {
    const fft = createComplexFft(400);
    const re = randomValues(400, 1);
    const im = randomValues(400, 2);
    const first = [re.slice(), im.slice()];
    fft.forward(first[0]!, first[1]!);
    fft.forward(re, im);
    expect(re).toEqual(first[0]);
    expect(im).toEqual(first[1]);
  });

  it('rejects sizes below 1', () => {
    expect(() => createComplexFft(0)).toThrow(/>= 1/);
  });
});

describe('fftRadices and nextFastLength', () => {
  it('factor into small radices or give up for large primes', () => {
    expect(fftRadices(200)).toEqual([4, 2, 5, 5]);
    expect(fftRadices(1)).toEqual([]);
    expect(fftRadices(97)).toBeUndefined();
    expect(fftRadices(2 * 17)).toBeUndefined();
  });

  it('finds the smallest 2^a 3^b 5^c at or above n', () => {
    expect(nextFastLength(193)).toBe(200);
    expect(nextFastLength(1)).toBe(1);
    expect(nextFastLength(7)).toBe(8);
    expect(nextFastLength(1993)).toBe(2000);
  });
});

describe('createRealPowerSpectrum', () => {
  for (const n of [2, 3, 4, 5, 10, 98, 194, 400, 401, 512, 800, 1024]) {
    it(`matches |naive DFT|^2 over floor(n/2) + 1 bins for n = ${n}`, () => {
      const frame = randomValues(n, 7 * n);
      const [re, im] = naiveDft(frame, new Float64Array(n));
      const spectrum = createRealPowerSpectrum(n);
      expect(spectrum.bins).toBe(Math.floor(n / 2) + 1);
      const power = new Float64Array(spectrum.bins);
      spectrum.compute(frame, power);
      for (let k = 0; k < spectrum.bins; k++) {
        const expected = re[k]! ** 2 + im[k]! ** 2;
        expect(Math.abs(power[k]! - expected)).toBeLessThan(1e-10 * Math.max(1, expected) * n);
      }
    });
  }
});

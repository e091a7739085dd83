import { createBluesteinFft } from './bluestein-fft';
import type { ComplexFft } from './complex-fft';
import { fftRadices, nextFastLength } from './factorize';
import { createMixedRadixFft } from './mixed-radix-fft';

/**
 * A forward complex FFT of any length >= 1: mixed radix (4, 2, 3, 5, 7, 11, 13) when the length
 * factors into those, else Bluestein over a 2^a 3^b 5^c convolution.
 */
export function createComplexFft(size: number): ComplexFft {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`FFT size must be a whole number >= 1, got ${size}`);
  const radices = fftRadices(size);
  if (radices) return createMixedRadixFft(size, radices);
  const inner = nextFastLength(2 * size - 1);
  return createBluesteinFft(size, createMixedRadixFft(inner, fftRadices(inner)!));
}

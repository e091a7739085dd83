import { besselI0, kaiserBeta } from './kaiser-window';
import type { HalfbandStage } from './resampler-design-types';

/**
 * Tap pairs K of the half-band lowpass whose transition is [passband, 2 - passband] x a quarter of
 * its rate (width (1 - passband) / 2 cycles per sample): Kaiser's N - 1 = (A - 7.95) / (14.36 df)
 * rounded up to 4K (the window spans +-2K samples; taps at even offsets are zero).
 */
export function halfbandPairs(passband: number, attenuationDb: number): number {
  const width = (1 - passband) / 2;
  return Math.max(1, Math.ceil((attenuationDb - 7.95) / (14.36 * width) / 4));
}

/**
 * Builds a half-band stage (see `HalfbandStage`): taps are the Kaiser-windowed 0.5 sinc(t / 2) at
 * odd t, scaled in float64 for unit gain at DC.
 */
export function halfbandStage(
  direction: 'decimate' | 'interpolate',
  passband: number,
  attenuationDb: number,
): HalfbandStage {
  const pairs = halfbandPairs(passband, attenuationDb);
  const halfWidth = 2 * pairs;
  const beta = kaiserBeta(attenuationDb);
  const i0Beta = besselI0(beta);
  const taps = new Float64Array(pairs);
  let sum = 0;
  for (let j = 0; j < pairs; j++) {
    const t = 2 * j + 1;
    const u = t / halfWidth;
    // 0.5 sinc(t / 2) at odd t is (-1)^j / (pi t).
    const h = ((j % 2 === 0 ? 1 : -1) / (Math.PI * t)) * (besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta);
    taps[j] = h;
    sum += h;
  }
  // Interpolation doubles the taps (its zero-stuffed input carries half the amplitude).
  const scale = (direction === 'decimate' ? 0.25 : 0.5) / sum;
  const coefficients = new Float64Array(pairs);
  for (let j = 0; j < pairs; j++) coefficients[j] = taps[j]! * scale;
  return { kind: 'halfband', direction, pairs, coefficients };
}

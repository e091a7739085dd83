import { besselI0, kaiserBeta } from './kaiser-window';
import type { PolyphaseStage } from './resampler-design-types';
import { sinPi } from './sin-pi';

/** Phases kept in a table; beyond this many, coefficients are interpolated between rows. */
export const MAX_POLYPHASE_PHASES = 4096;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Half the window length, in input samples, of a Kaiser-windowed lowpass at `inputRate` with the
 * transition [pass, stop] (same unit as the rate) and `attenuationDb` (Kaiser's estimate, N - 1 = (A - 7.95) / (14.36 df)),
 * rounded up to an even number so rows have a multiple of 4 taps (SIMD lanes; no padding taps).
 */
export function polyphaseHalfWidth(
  inputRate: number,
  pass: number,
  stop: number,
  attenuationDb: number,
): number {
  const width = (stop - pass) / inputRate;
  const halfWidth = (attenuationDb - 7.95) / (28.72 * width);
  return 2 * Math.max(1, Math.ceil(halfWidth / 2));
}

/**
 * Builds the polyphase table of a Kaiser-windowed sinc lowpass (cutoff halfway between `pass` and
 * `stop`) from `inputRate` to `outputRate`. The window spans +-half input samples around each
 * output time; the prototype is symmetric, so the stage delays nothing.
 */
export function polyphaseStage(
  inputRate: number,
  outputRate: number,
  pass: number,
  stop: number,
  attenuationDb: number,
): PolyphaseStage {
  const g = gcd(inputRate, outputRate);
  const up = outputRate / g;
  const down = inputRate / g;
  const half = polyphaseHalfWidth(inputRate, pass, stop, attenuationDb);
  const taps = 2 * half;
  const exact = up <= MAX_POLYPHASE_PHASES;
  const rows = exact ? up : MAX_POLYPHASE_PHASES + 1;
  const rowPhases = exact ? up : MAX_POLYPHASE_PHASES;
  // Cutoff in cycles per input sample; the lowpass is 2 fc sinc(2 fc t) times the window.
  const fc = (pass + stop) / 2 / inputRate;
  const beta = kaiserBeta(attenuationDb);
  const i0Beta = besselI0(beta);
  const coefficients = new Float64Array(rows * taps);
  const row = new Float64Array(taps);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let i = 0; i < taps; i++) {
      // Tap i reads input base - half + 1 + i; tau is its distance from the output time.
      const tau = r / rowPhases + half - 1 - i;
      const u = tau / half;
      if (u > 1 || u < -1) {
        row[i] = 0;
        continue;
      }
      const x = 2 * fc * tau;
      const sinc = x === 0 ? 1 : sinPi(x) / (Math.PI * x);
      const h = sinc * (besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta);
      row[i] = h;
      sum += h;
    }
    for (let i = 0; i < taps; i++) coefficients[r * taps + i] = row[i]! / sum;
  }
  return { kind: 'polyphase', up, down, taps, half, rows, coefficients };
}

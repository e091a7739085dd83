import { MAX_POLYPHASE_PHASES } from './polyphase-stage';
import type { HalfbandStage, PolyphaseStage } from './resampler-design-types';

/*
 * The arithmetic of each stage, in float64 (JavaScript's own; IEEE operations in a fixed order, so
 * every engine gives the same bits). Each output depends only on the stage's input values, never
 * on how the input arrived in chunks, so streamed and whole-array outputs are identical.
 *
 * Buffers: `input[i]` holds the stage's input sample at index `inputStart + i`; outputs with
 * indices first .. first + count - 1 go to `out[at ..]`. Callers make sure every read is inside.
 */

/** The buffers of one kernel call (see above). */
export type KernelBuffers = [
  input: Float64Array,
  inputStart: number,
  first: number,
  count: number,
  out: Float64Array,
  at: number,
];

/** floor(a / b) for whole numbers below 2^53 in magnitude (b > 0). */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Polyphase outputs `first ..` (see `PolyphaseStage`). */
export function runPolyphase(
  stage: PolyphaseStage,
  ...[input, inputStart, first, count, out, at]: KernelBuffers
): void {
  const { up, down, taps, half, coefficients: c } = stage;
  const exact = stage.rows === up;
  const stepBase = Math.floor(down / up);
  const stepPhase = down % up;
  let base = floorDiv(first * down, up);
  let phase = first * down - base * up;
  for (let q = 0; q < count; q++) {
    const x = base - half + 1 - inputStart;
    // Four partial sums (taps are a multiple of 4): independent chains run in parallel.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    if (exact) {
      const row = phase * taps;
      for (let i = 0; i < taps; i += 4) {
        s0 += c[row + i]! * input[x + i]!;
        s1 += c[row + i + 1]! * input[x + i + 1]!;
        s2 += c[row + i + 2]! * input[x + i + 2]!;
        s3 += c[row + i + 3]! * input[x + i + 3]!;
      }
    } else {
      // Between table rows r and r + 1 at fraction t (see PolyphaseStage.rows).
      const position = phase * MAX_POLYPHASE_PHASES;
      const r = Math.floor(position / up);
      const t = (position - r * up) / up;
      const row0 = r * taps;
      const row1 = row0 + taps;
      for (let i = 0; i < taps; i += 2) {
        const c0 = c[row0 + i]!;
        const c1 = c[row0 + i + 1]!;
        s0 += (c0 + t * (c[row1 + i]! - c0)) * input[x + i]!;
        s1 += (c1 + t * (c[row1 + i + 1]! - c1)) * input[x + i + 1]!;
      }
    }
    out[at + q] = s0 + s1 + (s2 + s3);
    base += stepBase;
    phase += stepPhase;
    if (phase >= up) {
      phase -= up;
      base++;
    }
  }
}

/** Half-band decimation outputs `first ..`: y[k] = 0.5 u[2k] + sum_j c[j] (u[2k-2j-1] + u[2k+2j+1]). */
export function runHalfbandDecimate(
  stage: HalfbandStage,
  ...[input, inputStart, first, count, out, at]: KernelBuffers
): void {
  const { pairs, coefficients: c } = stage;
  // Four outputs per pass (independent sums, each added in the same order as one at a time).
  let q = 0;
  for (; q + 4 <= count; q += 4) {
    const centre = 2 * (first + q) - inputStart;
    let a0 = 0.5 * input[centre]!;
    let a1 = 0.5 * input[centre + 2]!;
    let a2 = 0.5 * input[centre + 4]!;
    let a3 = 0.5 * input[centre + 6]!;
    for (let j = 0; j < pairs; j++) {
      const cj = c[j]!;
      const l = centre - 2 * j - 1;
      const r = centre + 2 * j + 1;
      a0 += cj * (input[l]! + input[r]!);
      a1 += cj * (input[l + 2]! + input[r + 2]!);
      a2 += cj * (input[l + 4]! + input[r + 4]!);
      a3 += cj * (input[l + 6]! + input[r + 6]!);
    }
    out[at + q] = a0;
    out[at + q + 1] = a1;
    out[at + q + 2] = a2;
    out[at + q + 3] = a3;
  }
  for (; q < count; q++) {
    const centre = 2 * (first + q) - inputStart;
    let a = 0.5 * input[centre]!;
    for (let j = 0; j < pairs; j++) a += c[j]! * (input[centre - 2 * j - 1]! + input[centre + 2 * j + 1]!);
    out[at + q] = a;
  }
}

/** Half-band interpolation outputs `first ..`: y[2n] = x[n], y[2n+1] = sum_j c[j] (x[n-j] + x[n+1+j]). */
export function runHalfbandInterpolate(
  stage: HalfbandStage,
  ...[input, inputStart, first, count, out, at]: KernelBuffers
): void {
  const { pairs, coefficients: c } = stage;
  let q = 0;
  let n = floorDiv(first, 2) - inputStart;
  if (first % 2 !== 0) {
    // Odd first output: finish its pair.
    let a = 0;
    for (let j = 0; j < pairs; j++) a += c[j]! * (input[n - j]! + input[n + 1 + j]!);
    out[at] = a;
    q = 1;
    n++;
  }
  // Pairs (x[n], odd output after it), two pairs per pass.
  for (; q + 4 <= count; q += 4, n += 2) {
    let a0 = 0;
    let a1 = 0;
    for (let j = 0; j < pairs; j++) {
      const cj = c[j]!;
      a0 += cj * (input[n - j]! + input[n + 1 + j]!);
      a1 += cj * (input[n + 1 - j]! + input[n + 2 + j]!);
    }
    out[at + q] = input[n]!;
    out[at + q + 1] = a0;
    out[at + q + 2] = input[n + 1]!;
    out[at + q + 3] = a1;
  }
  for (; q < count; q++) {
    const m = first + q;
    const index = floorDiv(m, 2) - inputStart;
    if (m % 2 === 0) {
      out[at + q] = input[index]!;
      continue;
    }
    let a = 0;
    for (let j = 0; j < pairs; j++) a += c[j]! * (input[index - j]! + input[index + 1 + j]!);
    out[at + q] = a;
  }
}

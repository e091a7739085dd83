/** Modified Bessel function of the first kind, order 0 (power series; converges fast for x < 50). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's beta for a stopband attenuation of `attenuationDb` (Kaiser 1974; Oppenheim & Schafer 7.76). */
export function kaiserBeta(attenuationDb: number): number {
  const a = attenuationDb;
  if (a > 50) return 0.1102 * (a - 8.7);
  if (a >= 21) return 0.5842 * (a - 21) ** 0.4 + 0.07886 * (a - 21);
  return 0;
}

/** Taps a Kaiser-windowed lowpass needs for `attenuationDb` over a transition of `width` cycles/sample. */
export function kaiserLength(attenuationDb: number, width: number): number {
  return Math.ceil((attenuationDb - 7.95) / (14.36 * width)) + 1;
}

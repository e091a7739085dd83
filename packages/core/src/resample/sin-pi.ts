// (-1)^n / (2n+1)! for n = 0..11: the Taylor series of sin(z) to z^23 (error < 2e-18 for
// |z| <= pi/2). Built by division, which is exact-rounded everywhere.
const SIN_TAYLOR: number[] = [1];
for (let n = 1; n < 12; n++) SIN_TAYLOR.push(SIN_TAYLOR[n - 1]! / (-(2 * n) * (2 * n + 1)));

/**
 * `sin(pi * x)` from IEEE basic operations only (+, -, *, /, round), so every JavaScript engine
 * computes the same bits. `Math.sin` is implementation-approximated: engines may differ
 * in the last bit, and filter coefficients (hence resampled audio) must not depend on the browser.
 */
export function sinPi(x: number): number {
  // sin(pi x) = (-1)^k sin(pi r) with k the nearest integer and r = x - k in [-0.5, 0.5].
  const k = Math.round(x);
  const z = Math.PI * (x - k);
  const z2 = z * z;
  let sum = SIN_TAYLOR[SIN_TAYLOR.length - 1]!;
  for (let n = SIN_TAYLOR.length - 2; n >= 0; n--) sum = sum * z2 + SIN_TAYLOR[n]!;
  const s = z * sum;
  return k % 2 === 0 ? s : -s;
}

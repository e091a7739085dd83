/** Largest prime factor the mixed-radix FFT handles with its generic O(p^2) butterfly. */
export const LARGEST_DIRECT_RADIX = 13;

/**
 * Radices for the mixed-radix FFT, 4s first, then 2, 3, 5 and other primes, or `undefined` when a
 * prime factor is larger than `LARGEST_DIRECT_RADIX` (Bluestein handles those lengths).
 */
export function fftRadices(n: number): number[] | undefined {
  const radices: number[] = [];
  let rest = n;
  while (rest % 4 === 0) {
    radices.push(4);
    rest /= 4;
  }
  for (let p = 2; p <= LARGEST_DIRECT_RADIX && rest > 1; p++) {
    while (rest % p === 0) {
      radices.push(p);
      rest /= p;
    }
  }
  return rest === 1 ? radices : undefined;
}

/** Smallest 2^a 3^b 5^c that is >= n (a fast length for Bluestein's convolution). */
export function nextFastLength(n: number): number {
  for (let m = Math.max(1, n); ; m++) {
    let r = m;
    for (const p of [2, 3, 5]) while (r % p === 0) r /= p;
    if (r === 1) return m;
  }
}

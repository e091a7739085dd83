/**
 * mulberry32, a 32-bit PRNG by Tommy Ettinger (public domain): small, fast and good enough for
 * sampling (period 2^32). Returns a function yielding floats in [0, 1) with 32 random bits.
 * The seed is taken modulo 2^32, so seeds 1 and 2^32 + 1 give the same stream.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

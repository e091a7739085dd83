/**
 * mulberry32, a 32-bit PRNG by Tommy Ettinger (public domain): small, fast and good enough for
 * shuffling and sampling (period 2^32). Returns a function yielding floats in [0, 1).
 * The seed is taken modulo 2^32. Core keeps its own copy: core never imports a plugin.
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

/**
 * The 32-bit seed of one epoch: `seed` and `epoch` mixed (splitmix-style finaliser), so epochs 0, 1,
 * 2... of one seed give unrelated streams and the same (seed, epoch) gives the same stream anywhere.
 */
export function epochSeed(seed: number, epoch: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul((epoch >>> 0) + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

import { epochSeed, mulberry32 } from './mulberry32';

/**
 * A permutation of `0..length-1` (Fisher-Yates driven by mulberry32), deterministic for
 * (seed, epoch): every machine computes the same order.
 */
export function shuffledIndices(length: number, seed: number, epoch: number): Uint32Array {
  const out = new Uint32Array(length);
  for (let i = 0; i < length; i++) out[i] = i;
  const random = mulberry32(epochSeed(seed, epoch));
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

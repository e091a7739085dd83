import type { Sampler } from './sampler';
import { shuffledIndices } from './shuffled-indices';

export interface RandomSamplerOptions {
  /** Seed of the shuffle (default 0). Epoch `e` uses a stream derived from `seed` and `e`. */
  seed?: number;
}

/** Every index once per epoch in a seeded random order that changes with the epoch. */
export function randomSampler(options: RandomSamplerOptions = {}): Sampler {
  const seed = options.seed ?? 0;
  return {
    name: `random(seed ${seed})`,
    size: (length) => length,
    indices: (length, epoch) => shuffledIndices(length, seed, epoch),
  };
}

import type { Sampler } from './sampler';

/** Every index once, in order: 0, 1, ..., length - 1 (the same every epoch). */
export function sequentialSampler(): Sampler {
  return {
    name: 'sequential',
    size: (length) => length,
    indices: (length) => {
      const out = new Uint32Array(length);
      for (let i = 0; i < length; i++) out[i] = i;
      return out;
    },
  };
}

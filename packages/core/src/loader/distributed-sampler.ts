import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';
import type { Sampler } from './sampler';
import { shuffledIndices } from './shuffled-indices';

export interface DistributedSamplerOptions {
  /** This process's rank in `[0, worldSize)`. */
  rank: number;
  /** Number of processes sharing the dataset. */
  worldSize: number;
  /** Shuffle the whole dataset each epoch before splitting (default true). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0); must be the same on every rank. */
  seed?: number;
  /**
   * When the length is not a multiple of `worldSize`: `'pad'` (default) repeats indices from the
   * start of the epoch's order so every rank gets `ceil(length / worldSize)`; `'drop'` leaves the
   * last `length % worldSize` indices of the epoch's order out so every rank gets `floor(...)`.
   */
  remainder?: 'pad' | 'drop';
}

/**
 * One rank's share of each epoch for data-parallel training. Every rank computes the same epoch
 * order from (seed, epoch) — call `loader.setEpoch(e)` on each — and takes positions
 * `rank, rank + worldSize, ...` of it: every index goes to exactly one rank (plus the padding
 * repeats with `'pad'`), and all ranks get the same count.
 */
export function distributedSampler(options: DistributedSamplerOptions): Sampler {
  const { rank, worldSize } = options;
  const shuffle = options.shuffle ?? true;
  const seed = options.seed ?? 0;
  const remainder = options.remainder ?? 'pad';
  const issues: ConfigIssue[] = [];
  if (!Number.isInteger(worldSize) || worldSize < 1)
    issues.push({ path: 'worldSize', message: `got ${worldSize}; use an integer >= 1` });
  if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize)
    issues.push({
      path: 'rank',
      message: `got ${rank}; use an integer in [0, worldSize - 1 = ${worldSize - 1}]`,
    });
  if (remainder !== 'pad' && remainder !== 'drop')
    issues.push({ path: 'remainder', message: `got ${String(remainder)}; use 'pad' or 'drop'` });
  if (issues.length > 0) throw new SpgConfigError(issues, 'SPG_CONFIG_SAMPLER');

  const size = (length: number) =>
    remainder === 'pad' ? Math.ceil(length / worldSize) : Math.floor(length / worldSize);
  return {
    name: `distributed(rank ${rank}/${worldSize}, ${shuffle ? `shuffled, seed ${seed}` : 'in order'}, ${remainder})`,
    size,
    indices: (length, epoch) => {
      const count = size(length);
      const out = new Uint32Array(count);
      if (length === 0) return out;
      let order: Uint32Array | undefined;
      if (shuffle) order = shuffledIndices(length, seed, epoch);
      for (let k = 0; k < count; k++) {
        // Position in the padded order; padding wraps around to its start.
        const position = (rank + k * worldSize) % length;
        out[k] = order ? order[position]! : position;
      }
      return out;
    },
  };
}

import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';
import { epochSeed, mulberry32 } from './mulberry32';
import type { Sampler } from './sampler';

export interface WeightedSamplerOptions {
  /**
   * One weight (finite, >= 0) per dataset index; or, with `lengths`, one per member (e.g. a
   * router's `weights`). Weights need not sum to 1.
   */
  weights: readonly number[];
  /**
   * Lengths of consecutive members (e.g. a router's datasets, in order). With it, a draw picks a
   * member by `weights`, then one of its items uniformly. Their sum must equal the dataset length.
   */
  lengths?: readonly number[];
  /** Draws per epoch (default: the dataset length). */
  numSamples?: number;
  /** Seed of the draws (default 0); epoch `e` uses a stream derived from `seed` and `e`. */
  seed?: number;
}

function checkWeights(weights: readonly number[], lengths: readonly number[] | undefined): void {
  const issues: ConfigIssue[] = [];
  weights.forEach((w, i) => {
    if (!Number.isFinite(w) || w < 0)
      issues.push({ path: `weights[${i}]`, message: `got ${w}; use a finite number >= 0` });
  });
  if (lengths !== undefined) {
    if (lengths.length !== weights.length) {
      issues.push({
        path: 'lengths',
        message: `needs one length per weight (${weights.length}), got ${lengths.length}`,
      });
    }
    lengths.forEach((n, i) => {
      if (!Number.isInteger(n) || n < 0)
        issues.push({ path: `lengths[${i}]`, message: `got ${n}; use an integer >= 0` });
    });
  }
  if (issues.length === 0) {
    const reachable = weights.some((w, i) => w > 0 && (lengths === undefined || lengths[i]! > 0));
    if (!reachable)
      issues.push({
        path: 'weights',
        message: 'no index can be drawn; give a non-empty member a weight > 0',
      });
  }
  if (issues.length > 0) throw new SpgConfigError(issues, 'SPG_CONFIG_SAMPLER');
}

/** First position whose cumulative weight exceeds `target` (binary search). */
function findUnit(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Draws indices WITH replacement in proportion to weights, seeded (mulberry32, new stream per epoch).
 * Per index: `weightedSampler({ weights: perIndex })`. Per member of a router:
 * `weightedSampler({ weights: router.weights ?? router.lengths, lengths: router.lengths })`
 * (re-create it after `setMode`: member lengths change with the mode).
 */
export function weightedSampler(options: WeightedSamplerOptions): Sampler {
  const weights = [...options.weights];
  const lengths = options.lengths === undefined ? undefined : [...options.lengths];
  checkWeights(weights, lengths);
  const seed = options.seed ?? 0;
  if (options.numSamples !== undefined && (!Number.isInteger(options.numSamples) || options.numSamples < 0)) {
    throw new SpgConfigError(
      [{ path: 'numSamples', message: `got ${options.numSamples}; use an integer >= 0` }],
      'SPG_CONFIG_SAMPLER',
    );
  }
  const cumulative = new Float64Array(weights.length);
  const starts = new Float64Array(weights.length);
  let total = 0;
  let start = 0;
  weights.forEach((w, i) => {
    const n = lengths?.[i];
    total += n === 0 ? 0 : w;
    cumulative[i] = total;
    starts[i] = start;
    start += n ?? 1;
  });
  const size = (length: number) => options.numSamples ?? length;

  return {
    name: `weighted(${lengths ? `${weights.length} members` : 'per index'}, seed ${seed})`,
    size,
    indices: (length, epoch) => {
      const expected = lengths ? start : weights.length;
      if (expected !== length) {
        throw new SpgConfigError(
          [
            {
              path: lengths ? 'lengths' : 'weights',
              message: `${lengths ? 'member lengths sum to' : 'has one weight per index for'} ${expected} items but the dataset has ${length}; rebuild the sampler after changing the mode or fraction`,
            },
          ],
          'SPG_CONFIG_SAMPLER',
        );
      }
      const random = mulberry32(epochSeed(seed, epoch));
      const out = new Uint32Array(size(length));
      for (let k = 0; k < out.length; k++) {
        const unit = findUnit(cumulative, random() * total);
        out[k] = lengths ? starts[unit]! + Math.floor(random() * lengths[unit]!) : unit;
      }
      return out;
    },
  };
}

import { mulberry32, SpgConfigError } from '@spgdataset/core';

/**
 * Exact draw counts per dataset for `count` draws: `count * w_d / sum(w)` rounded by largest
 * remainder (ties go to the lower dataset index), so the counts always add up to `count`.
 */
export function weightedCounts(weights: readonly number[], count: number): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const quotas = weights.map((w) => (count * w) / total);
  const counts = quotas.map(Math.floor);
  let missing = count - counts.reduce((sum, c) => sum + c, 0);
  const byRemainder = quotas
    .map((q, d) => ({ d, remainder: q - Math.floor(q) }))
    .sort((a, b) => b.remainder - a.remainder || a.d - b.d);
  for (const { d } of byRemainder) {
    if (missing <= 0) break;
    counts[d]! += 1;
    missing -= 1;
  }
  return counts;
}

/** Fisher-Yates shuffle of `values[from..]` in place with `random` in [0, 1). */
function shuffle(values: Float64Array, random: () => number, from = 0, to = values.length): void {
  for (let k = to - 1; k > from; k--) {
    const j = from + Math.floor(random() * (k - from + 1));
    const swap = values[k]!;
    values[k] = values[j]!;
    values[j] = swap;
  }
}

/**
 * `count` global indices mixing datasets in proportion to `weights`, deterministic for `seed`
 * (mulberry32 stream). Dataset d contributes exactly `weightedCounts(weights, count)[d]` indices,
 * drawn without replacement from its items (whole random passes over them when it must give more
 * than it has), then the whole list is shuffled.
 */
export function weightedSample(
  lengths: readonly number[],
  starts: Float64Array,
  weights: readonly number[],
  count: number,
  seed: number,
): number[] {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`sample count must be a whole number >= 0, got ${count}`);
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError(`sample seed must be an integer, got ${seed}`);
  const empty = weights.flatMap((w, d) =>
    w > 0 && lengths[d] === 0
      ? [
          {
            path: `weights[${d}]`,
            message: `dataset ${d} has weight ${w} but no items in the current mode; give it weight 0 or choose a mode it has items in`,
          },
        ]
      : [],
  );
  if (empty.length > 0) throw new SpgConfigError(empty, 'SPG_CONFIG_ROUTER_WEIGHTS');
  const random = mulberry32(seed);
  const counts = weightedCounts(weights, count);
  const out = new Float64Array(count);
  let filled = 0;
  counts.forEach((wanted, d) => {
    const length = lengths[d]!;
    const start = starts[d]!;
    const pass = new Float64Array(length);
    while (wanted > 0) {
      for (let k = 0; k < length; k++) pass[k] = start + k;
      const take = Math.min(wanted, length);
      // Partial Fisher-Yates: the first `take` slots become a uniform sample without replacement.
      for (let k = 0; k < take; k++) {
        const j = k + Math.floor(random() * (length - k));
        const swap = pass[k]!;
        pass[k] = pass[j]!;
        pass[j] = swap;
      }
      out.set(pass.subarray(0, take), filled);
      filled += take;
      wanted -= take;
    }
  });
  shuffle(out, random);
  return Array.from(out);
}

/** A half-open sample interval `[start, stop)`. */
export type Interval = readonly [number, number];

/** Merges intervals (of any number of masks) into sorted, disjoint, non-adjacent intervals. */
export function unionIntervals(groups: readonly (readonly Interval[])[]): Interval[] {
  const all = groups
    .flat()
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [];
  for (const [a, b] of all) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Samples of `[start, stop)` covered by a union from `unionIntervals`. */
export function overlapLength(union: readonly Interval[], start: number, stop: number): number {
  let total = 0;
  // Binary search for the first interval ending after `start`.
  let lo = 0;
  let hi = union.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (union[mid]![1] <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < union.length; i++) {
    const [a, b] = union[i]!;
    if (a >= stop) break;
    total += Math.min(b, stop) - Math.max(a, start);
  }
  return total;
}

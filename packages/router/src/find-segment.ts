/**
 * Segment `d` with `starts[d] <= index < starts[d + 1]`, by binary search over cumulative starts
 * (`starts[0] = 0`, `starts[count] = total`, non-decreasing). Empty segments (equal starts) are
 * never returned. The caller guarantees `0 <= index < starts[count]`.
 */
export function findSegment(starts: Float64Array, count: number, index: number): number {
  let lo = 0;
  let hi = count;
  // Invariant: starts[lo] <= index < starts[hi].
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid;
  }
  return lo;
}

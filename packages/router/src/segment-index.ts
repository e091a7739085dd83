import { findSegment } from './find-segment';

/** At least this many buckets per segment (at most twice as many): more buckets make the fast path likelier. */
const BUCKETS_PER_SEGMENT = 8;

/**
 * Maps a global index to the segment (member dataset) holding it, for segments laid end to end.
 * `starts` holds the cumulative lengths; a bucket table over the index space (power-of-two buckets,
 * 8 to 16 per segment, so at most 64 KB for 1,000 members) names the first segment each bucket touches.
 * Most lookups end there with one comparison; a bucket that spans segment boundaries falls back to
 * binary search over `starts` between the segments it touches, so the worst case stays O(log n).
 */
export class SegmentIndex {
  /** starts[d] = items before segment d; starts[count] = total. */
  readonly starts: Float64Array;
  readonly count: number;
  readonly total: number;
  /** first[b] = segment holding index b * bucketSize; first[buckets] = segment holding total - 1. */
  private readonly first: Int32Array;
  /** 1 / bucket size (exact: the size is a power of two): index i is in bucket floor(i * this). */
  readonly inverseBucketSize: number;

  constructor(lengths: readonly number[]) {
    this.count = lengths.length;
    this.starts = new Float64Array(this.count + 1);
    let total = 0;
    lengths.forEach((length, d) => {
      this.starts[d] = total;
      total += length;
    });
    this.starts[this.count] = total;
    this.total = total;
    let bucketSize = 1;
    while (total / bucketSize > this.count * BUCKETS_PER_SEGMENT * 2) bucketSize *= 2;
    this.inverseBucketSize = 1 / bucketSize;
    const buckets = Math.ceil(total / bucketSize);
    this.first = new Int32Array(buckets + 1);
    if (total === 0) return;
    let d = 0;
    for (let b = 0; b < buckets; b++) {
      const start = b * bucketSize;
      while (start >= this.starts[d + 1]!) d++;
      this.first[b] = d;
    }
    this.first[buckets] = findSegment(this.starts, this.count, total - 1);
  }

  /** Segment holding the first index of each bucket, one entry per bucket. */
  get bucketSegments(): Int32Array {
    return this.first.subarray(0, this.first.length - 1);
  }

  /** Segment holding `index`; the caller guarantees an integer `0 <= index < total`. */
  find(index: number): number {
    const bucket = Math.floor(index * this.inverseBucketSize);
    const d = this.first[bucket]!;
    if (index < this.starts[d + 1]!) return d;
    return this.findBetween(index, d + 1, this.first[bucket + 1]!);
  }

  /** Binary search for the segment holding `index` among segments lo..hi (inclusive). */
  private findBetween(index: number, lo: number, hi: number): number {
    const starts = this.starts;
    // Invariant: starts[lo] <= index < starts[hi + 1].
    hi += 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid;
    }
    return lo;
  }
}

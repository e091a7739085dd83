import type { ReadableDataset } from '@spgdataset/core';
import type { SegmentIndex } from './segment-index';

/** How `get` reads a bucket's member: `null` plain `get`, a label map `getRelabeled` with it, `false` not here. */
export type ReadHow = Int32Array | null | false;

/** Slots per bucket in `bucketSlots`: member, how, start, end. */
export const SLOTS_PER_BUCKET = 4;

/**
 * The router's table for `get`: per bucket of `segments`, four slots side by side — the member
 * holding the bucket's first index, how to read it, and that member's range `[start, end)` of
 * router indices. With many members a get is bound by memory, not work: each separate table or
 * object it reads can be a cache and TLB miss next to the window copies streaming through. One
 * bucket's slots share one memory line, so a get reads one line the member itself would not
 * (measured with 1,000 real members: from ~2.3% over a direct get with a table of route objects
 * to ~1.5%).
 */
export function bucketSlots(
  segments: SegmentIndex,
  members: readonly ReadableDataset[],
  how: readonly ReadHow[],
): (ReadableDataset | ReadHow | number)[] {
  const slots: (ReadableDataset | ReadHow | number)[] = [];
  for (const d of segments.bucketSegments) {
    slots.push(members[d]!, how[d]!, segments.starts[d]!, segments.starts[d + 1]!);
  }
  return slots;
}

import { type Interval, overlapLength, unionIntervals } from './interval-union';
import { windowCount } from './windows';

/** A window that passed the content-ratio filter: its number `k` (start `k * windowOffset`) and ratio. */
export interface KeptWindow {
  window: number;
  contentRatio: number;
}

export interface KeptWindowsInput {
  length: number;
  windowSize: number;
  windowOffset: number;
  windowContentRatio: number;
  /** Intervals of each REQUESTED mask; null when no mask is requested (every window is kept). */
  masks: readonly (readonly Interval[])[] | null;
}

/**
 * The windows of one file that are kept (docs/behaviour.md#windows): all of them when no mask is requested, else those
 * whose overlap with the union of the requested masks' intervals, over windowSize, is >= the ratio.
 */
export function keptWindows(input: KeptWindowsInput): KeptWindow[] {
  const { length, windowSize, windowOffset, windowContentRatio, masks } = input;
  const n = windowCount(length, windowSize, windowOffset);
  const out: KeptWindow[] = [];
  if (masks === null) {
    for (let k = 0; k < n; k++) out.push({ window: k, contentRatio: 1 });
    return out;
  }
  const union = unionIntervals(masks);
  for (let k = 0; k < n; k++) {
    const start = k * windowOffset;
    const ratio = overlapLength(union, start, start + windowSize) / windowSize;
    if (ratio >= windowContentRatio) out.push({ window: k, contentRatio: ratio });
  }
  return out;
}

import type { Interval } from './interval-union';

export interface MaskFramesInput {
  /** The mask's intervals in samples (half-open). */
  intervals: readonly Interval[];
  /** First sample of the window. */
  start: number;
  windowSize: number;
  hopLength: number;
  /** The file's length in samples. */
  length: number;
  /** Frames per window. */
  spgLength: number;
}

/**
 * The 0/1 frame mask of one window (SPEC 8): for each interval clipped to the window as `[a, b)`,
 * frames `floor(a / hop) - floor(s / hop)` up to `min(ceil(b / hop), ceil(length / hop) - 1) - floor(s / hop)`.
 */
export function maskFrames(input: MaskFramesInput): Float32Array {
  const { intervals, start, windowSize, hopLength, length, spgLength } = input;
  const mask = new Float32Array(spgLength);
  const first = Math.floor(start / hopLength);
  const lastFrame = Math.ceil(length / hopLength) - 1;
  const stop = start + windowSize;
  for (const [lo, hi] of intervals) {
    const a = Math.max(lo, start);
    const b = Math.min(hi, stop);
    if (b <= a) continue;
    const from = Math.max(0, Math.floor(a / hopLength) - first);
    const to = Math.min(spgLength, Math.min(Math.ceil(b / hopLength), lastFrame) - first);
    for (let t = from; t < to; t++) mask[t] = 1;
  }
  return mask;
}

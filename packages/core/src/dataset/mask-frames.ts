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
 * Sets the frames of one window's 0/1 mask to 1 in `target` from `offset` (the `spgLength` values
 * there must be zero): for each interval clipped to the window as `[a, b)`, frames
 * `floor(a / hop) - floor(s / hop)` up to `min(ceil(b / hop), ceil(length / hop) - 1) - floor(s / hop)`.
 * As in the Python package, the file's last frame (index `ceil(length / hop) - 1`) is never set.
 */
export function maskFramesInto(target: Float32Array, offset: number, input: MaskFramesInput): void {
  const { intervals, start, windowSize, hopLength, length, spgLength } = input;
  const first = Math.floor(start / hopLength);
  const lastFrame = Math.ceil(length / hopLength) - 1;
  const stop = start + windowSize;
  for (const [lo, hi] of intervals) {
    const a = Math.max(lo, start);
    const b = Math.min(hi, stop);
    if (b <= a) continue;
    const from = Math.max(0, Math.floor(a / hopLength) - first);
    const to = Math.min(spgLength, Math.min(Math.ceil(b / hopLength), lastFrame) - first);
    if (to > from) target.fill(1, offset + from, offset + to);
  }
}

/** The 0/1 frame mask of one window as a new array (see `maskFramesInto`). */
export function maskFrames(input: MaskFramesInput): Float32Array {
  const mask = new Float32Array(input.spgLength);
  maskFramesInto(mask, 0, input);
  return mask;
}

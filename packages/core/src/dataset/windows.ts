/** Number of windows of a file of `length` samples (docs/behaviour.md#windows): one if it fits, else one per offset. */
export function windowCount(length: number, windowSize: number, windowOffset: number): number {
  if (length <= windowSize) return 1;
  return Math.floor((length - windowSize) / windowOffset) + 1;
}

/**
 * Length after zero padding AT THE END (docs/behaviour.md#spectrogram): `windowSize` if shorter, else the next point of the
 * window grid, so every window's samples exist and frame `t` stays at sample `t * hopLength`.
 */
export function paddedLength(length: number, windowSize: number, windowOffset: number): number {
  if (length <= windowSize) return windowSize;
  return windowSize + Math.ceil((length - windowSize) / windowOffset) * windowOffset;
}

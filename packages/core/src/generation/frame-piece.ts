/**
 * Frames `[first, first + count)` of a file, computed by a stream of their own: fed samples
 * `[origin, end)` of the padded signal (the file's samples, then zeros), starting
 * `ceil(nFft / 2 / hop)` frames early at a multiple of hop, so the frames from `first` on are the
 * whole stream's (see `FeatureStream.observe`). The last piece's stream is ended (the reflection at
 * the signal's end).
 */
export interface FramePiece {
  first: number;
  count: number;
  origin: number;
  end: number;
  last: boolean;
}

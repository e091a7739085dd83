/** A dense float32 array with a row-major (C order) shape. Spectrograms are `[nMels, frames]`. */
export interface Tensor {
  data: Float32Array;
  shape: number[];
}

/** Number of elements a shape describes. */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

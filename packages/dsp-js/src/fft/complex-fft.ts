/**
 * An in-place forward complex DFT of a fixed size, `X[k] = sum_j x[j] exp(-2 pi i j k / n)`, on split
 * real/imaginary float64 arrays. Plans are made once and reused; `forward` allocates nothing.
 */
export interface ComplexFft {
  readonly size: number;
  forward(re: Float64Array, im: Float64Array): void;
}

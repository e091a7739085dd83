/**
 * One polyphase stage from rate `down` to rate `up` (in units of the gcd of the two). Output m sits
 * at input time m * down / up; with base = floor(m * down / up) and phase = m * down mod up, it is
 * the dot product of coefficient row `phase` (exact tables) with inputs base - half + 1 ... base + half.
 */
export interface PolyphaseStage {
  readonly kind: 'polyphase';
  readonly up: number;
  readonly down: number;
  /** Taps per row: 2 x half, a multiple of 4. */
  readonly taps: number;
  readonly half: number;
  /**
   * Rows in `coefficients`: `up` when exact; else MAX_POLYPHASE_PHASES + 1 rows at phases
   * r / MAX_POLYPHASE_PHASES, and each output's coefficients are interpolated linearly between
   * rows floor(phase * MAX / up) and the next, at fraction (phase * MAX mod up) / up.
   */
  readonly rows: number;
  /** `rows x taps` coefficients, each row summing to 1 (unit gain at DC). */
  readonly coefficients: Float64Array;
}

/**
 * One half-band stage: a symmetric lowpass at the higher of its two rates with a centre tap of 0.5
 * and taps c[j] at offsets +-(2j + 1) (every other tap is zero).
 *  - decimate: y[k] = 0.5 u[2k] + sum_j c[j] (u[2k - 2j - 1] + u[2k + 2j + 1]);
 *  - interpolate: y[2n] = x[n], y[2n + 1] = sum_j c[j] (x[n - j] + x[n + 1 + j]), where c holds
 *    twice the decimator's taps (the zero-stuffed input carries half the amplitude).
 */
export interface HalfbandStage {
  readonly kind: 'halfband';
  readonly direction: 'decimate' | 'interpolate';
  /** Number of tap pairs (K). */
  readonly pairs: number;
  readonly coefficients: Float64Array;
}

/** The stages (one or two, in order) that resample by `up / down` (the reduced rate ratio). */
export interface ResamplerDesign {
  readonly up: number;
  readonly down: number;
  readonly passband: number;
  readonly attenuationDb: number;
  readonly stages: readonly (PolyphaseStage | HalfbandStage)[];
}

// What the resampler conformance cases hold every resampler to, and the rate pairs they cover.

/**
 * What every resampler must meet (the "physical limit" issue): with `lower` the lower rate and
 * Nyquist = lower / 2, tones up to 0.95 x Nyquist keep their level within 0.1 dB and their phase
 * (no delay); tones from 1.05 x Nyquist up (their aliases), and images of passband tones, come
 * out at least 90 dB down; the ideal float64 reference is matched within 5e-5 (signals peak <= 1).
 */
export const resamplerBounds = {
  passbandEdge: 0.95,
  passbandRippleDb: 0.1,
  stopbandEdge: 1.05,
  stopbandDb: 90,
  /** Phase error of passband tones: 1e-3 rad is a delay of 3e-4 output samples at 0.95 x Nyquist. */
  phaseRad: 1e-3,
  referenceMaxAbs: 5e-5,
} as const;

/** Rate pairs the quality and streaming cases cover (down, up, integer, near-unity, interpolated tables). */
export const resamplerSuitePairs: readonly (readonly [number, number])[] = [
  [44100, 16000],
  [48000, 16000],
  [22050, 16000],
  [96000, 16000],
  [32000, 16000],
  [8000, 16000],
  [11025, 16000],
  [16000, 44100],
  [44100, 16001],
  [16000, 16001],
];

/**
 * How far two computations of the same output may differ by float32 rounding alone (e.g. the
 * same signal shifted against an implementation's fixed block grid), for |x| <= 1.
 */
export const RESAMPLER_ROUNDING = 2e-6;

/** Most output a stream may hold back beyond the filters' reach, in seconds of output. */
export const RESAMPLER_STREAM_LATENCY = 0.1;

/** Error code of `push()` / `end()` after `end()`. */
export const RESAMPLER_STREAM_ENDED = 'SPG_RESAMPLER_STREAM_ENDED';

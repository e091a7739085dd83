// Measurements of resampled signals for the resampler conformance cases.

/** Least-squares fit of R sin(w i + phi) to y[from, to): amplitude, phase and residual rms. */
export function fitTone(y: Float32Array, frequency: number, rate: number, from: number, to: number) {
  let ss = 0;
  let cc = 0;
  let sc = 0;
  let ys = 0;
  let yc = 0;
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * frequency * i) / rate;
    const s = Math.sin(w);
    const c = Math.cos(w);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    ys += y[i]! * s;
    yc += y[i]! * c;
  }
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  let residual = 0;
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * frequency * i) / rate;
    residual += (y[i]! - a * Math.sin(w) - b * Math.cos(w)) ** 2;
  }
  return {
    amplitude: Math.hypot(a, b),
    phase: Math.atan2(b, a),
    residualRms: Math.sqrt(residual / (to - from)),
  };
}

/** Root mean square of y[from, to). */
export function rms(y: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i]! ** 2;
  return Math.sqrt(s / (to - from));
}

export const db = (ratio: number) => 20 * Math.log10(ratio);
/** The filters' edge transients stay within the first and last 15 %. */
export const middle = (n: number) => [Math.floor(n * 0.15), Math.ceil(n * 0.85)] as const;
/** A phase in (-pi, pi]. */
export const wrap = (phase: number) => Math.atan2(Math.sin(phase), Math.cos(phase));

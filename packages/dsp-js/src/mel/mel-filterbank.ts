import type { MelParams } from '@spgdataset/core';
import { hzToMel, melToHz } from './mel-scale';

/**
 * Sparse triangular mel filters: filter m covers FFT bins `start[m] .. end[m] - 1` with weights
 * `weights[offset[m] .. offset[m] + end[m] - start[m] - 1]`.
 */
export interface MelFilterbank {
  readonly nMels: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly offset: Int32Array;
  readonly weights: Float64Array;
}

/**
 * `librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm='slaney')` in float64: triangles
 * between n_mels + 2 points evenly spaced on the mel scale, each scaled by 2 / (its width in Hz).
 */
export function createMelFilterbank(params: MelParams): MelFilterbank {
  const { sampleRate, nFft, nMels, fMin, fMax, htk } = params;
  const bins = Math.floor(nFft / 2) + 1;
  const lowMel = hzToMel(fMin, htk);
  const highMel = hzToMel(fMax, htk);
  // numpy.linspace: start + i * step, with the last point exactly `stop`.
  const step = (highMel - lowMel) / (nMels + 1);
  const edges = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) edges[i] = melToHz(i === nMels + 1 ? highMel : lowMel + i * step, htk);
  const binHz = sampleRate / nFft;

  const start = new Int32Array(nMels);
  const end = new Int32Array(nMels);
  const offset = new Int32Array(nMels);
  const rows: number[][] = [];
  let total = 0;
  for (let m = 0; m < nMels; m++) {
    const left = edges[m]!;
    const centre = edges[m + 1]!;
    const right = edges[m + 2]!;
    const norm = 2 / (right - left);
    const row: number[] = [];
    let first = -1;
    for (let k = 0; k < bins; k++) {
      const f = k * binHz;
      const lower = (f - left) / (centre - left);
      const upper = (right - f) / (right - centre);
      const w = Math.max(0, Math.min(lower, upper));
      if (w > 0) {
        if (first < 0) first = k;
        // Zeros inside a row cannot happen for a triangle; pad defensively anyway.
        while (first + row.length < k) row.push(0);
        row.push(w * norm);
      }
    }
    start[m] = Math.max(first, 0);
    end[m] = first < 0 ? 0 : first + row.length;
    offset[m] = total;
    total += row.length;
    rows.push(row);
  }
  const weights = new Float64Array(total);
  for (let m = 0; m < nMels; m++) weights.set(rows[m]!, offset[m]!);
  return { nMels, start, end, offset, weights };
}

import type { MelParams } from '@spgdataset/core';
import { createRealPowerSpectrum, type RealPowerSpectrum } from './fft/real-power-spectrum';
import { periodicHann } from './hann-window';
import { createMelFilterbank, type MelFilterbank } from './mel/mel-filterbank';

/** Everything that depends only on the parameters, built once and reused for every frame and call. */
export interface LogMelPlan {
  readonly params: MelParams;
  readonly window: Float64Array;
  readonly spectrum: RealPowerSpectrum;
  readonly filterbank: MelFilterbank;
  /** Scratch: one windowed frame and its power spectrum. */
  readonly frame: Float64Array;
  readonly power: Float64Array;
  /** Scratch: the frame-major log-mel of the current call, kept between calls up to `KEPT_LOG_VALUES`. */
  log: Float64Array;
}

/** Largest frame-major scratch kept between calls (16 Mi values = 128 MiB: about 5.8 h at 100 fps x 80 mels). */
const KEPT_LOG_VALUES = 16 * 2 ** 20;

export function createLogMelPlan(params: MelParams): LogMelPlan {
  const spectrum = createRealPowerSpectrum(params.nFft);
  return {
    params,
    window: periodicHann(params.nFft),
    spectrum,
    filterbank: createMelFilterbank(params),
    frame: new Float64Array(params.nFft),
    power: new Float64Array(spectrum.bins),
    log: new Float64Array(0),
  };
}

const LOG10_FLOOR = 1e-10;

/**
 * SPEC section 7 steps 3-6 on `mono` (which must be longer than nFft / 2 when it yields frames):
 * centred frames with reflect padding, periodic Hann, power, sparse mel, log10 with the max - 8
 * floor, (L + 4) / 4, optional standardisation. Float64 throughout; mel-major float32 out, into
 * the start of `out` when given (else a new array). The scratch of one call is reused by the next.
 */
export function computeLogMel(
  plan: LogMelPlan,
  mono: Float32Array,
  frames: number,
  out?: Float32Array,
): Float32Array {
  const { nFft, hopLength, nMels, normalize } = plan.params;
  const { window, spectrum, frame, power } = plan;
  const { start, end, offset, weights } = plan.filterbank;
  const n = mono.length;
  const pad = Math.floor(nFft / 2);
  // Frame-major while computing (contiguous writes), transposed to mel-major at the end.
  const log = scratch(plan, nMels * frames);
  let max = Number.NEGATIVE_INFINITY;

  for (let t = 0; t < frames; t++) {
    const first = t * hopLength - pad;
    if (first >= 0 && first + nFft <= n) {
      for (let i = 0; i < nFft; i++) frame[i] = mono[first + i]! * window[i]!;
    } else {
      // Edge frame: reflect about the first and last samples (torch pad_mode='reflect').
      for (let i = 0; i < nFft; i++) {
        let j = first + i;
        if (j < 0) j = -j;
        else if (j >= n) j = 2 * (n - 1) - j;
        frame[i] = mono[j]! * window[i]!;
      }
    }
    spectrum.compute(frame, power);
    const row = t * nMels;
    for (let m = 0; m < nMels; m++) {
      let energy = 0;
      const w0 = offset[m]! - start[m]!;
      for (let k = start[m]!, e = end[m]!; k < e; k++) energy += weights[w0 + k]! * power[k]!;
      const value = Math.log10(Math.max(energy, LOG10_FLOOR));
      log[row + m] = value;
      if (value > max) max = value;
    }
  }

  const floor = max - 8;
  let sum = 0;
  for (let i = 0; i < log.length; i++) {
    const s = (Math.max(log[i]!, floor) + 4) / 4;
    log[i] = s;
    sum += s;
  }
  let mean = 0;
  let divisor = 1;
  if (normalize) {
    mean = sum / log.length;
    let squares = 0;
    for (let i = 0; i < log.length; i++) {
      const d = log[i]! - mean;
      squares += d * d;
    }
    const std = log.length > 1 ? Math.sqrt(squares / (log.length - 1)) : 0;
    // A constant spectrogram (std 0) stays finite: S - mean = 0.
    if (std > 0) divisor = std;
  }
  const target = out ? out.subarray(0, log.length) : new Float32Array(log.length);
  transposeToMelMajor(log, frames, nMels, mean, divisor, target);
  return target;
}

/** `plan.log` holding `values` (grown by 1.5x and kept when small enough, else a one-off array). */
function scratch(plan: LogMelPlan, values: number): Float64Array {
  if (plan.log.length >= values) return plan.log.subarray(0, values);
  if (values > KEPT_LOG_VALUES) return new Float64Array(values);
  plan.log = new Float64Array(Math.min(KEPT_LOG_VALUES, Math.max(values, Math.ceil(plan.log.length * 1.5))));
  return plan.log.subarray(0, values);
}

const BLOCK = 64;

/** `out[m * frames + t] = (log[t * nMels + m] - mean) / divisor`, in cache-friendly blocks of frames. */
function transposeToMelMajor(
  log: Float64Array,
  frames: number,
  nMels: number,
  mean: number,
  divisor: number,
  out: Float32Array,
): void {
  const plain = mean === 0 && divisor === 1;
  for (let t0 = 0; t0 < frames; t0 += BLOCK) {
    const t1 = Math.min(frames, t0 + BLOCK);
    for (let m = 0; m < nMels; m++) {
      const base = m * frames;
      if (plain) for (let t = t0; t < t1; t++) out[base + t] = log[t * nMels + m]!;
      else for (let t = t0; t < t1; t++) out[base + t] = (log[t * nMels + m]! - mean) / divisor;
    }
  }
}

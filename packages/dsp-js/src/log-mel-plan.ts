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
}

export function createLogMelPlan(params: MelParams): LogMelPlan {
  const spectrum = createRealPowerSpectrum(params.nFft);
  return {
    params,
    window: periodicHann(params.nFft),
    spectrum,
    filterbank: createMelFilterbank(params),
    frame: new Float64Array(params.nFft),
    power: new Float64Array(spectrum.bins),
  };
}

import type { Tensor } from './tensor';

/** One dataset item (docs/behaviour.md#items). Only the parts the output configuration asks for are set. */
export interface Item {
  /** `[nMels, spgLength]`, mel-major. */
  spectrogram?: Tensor;
  /** `[windowSize]` samples of the decoded, resampled waveform, zero-padded. */
  audio?: Tensor;
  /** One `[spgLength]` 0/1 frame mask per requested interval name. */
  masks?: Record<string, Tensor>;
  /** Index of the label value in `classes`. */
  label?: number;
  meta?: Record<string, unknown>;
}

/** Where an item comes from. */
export interface ItemLocation {
  path: string;
  window: number;
  startSample: number;
  contentRatio: number;
}

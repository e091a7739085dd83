import type { Tensor } from './tensor';

/** What `defaultCollate` makes of B items. Only the parts the items carry are set. */
export interface Batch {
  /** `[B, 1, nMels, spgLength]` (a channel axis, ready for a 2-D conv). */
  spectrogram?: Tensor;
  /** `[B, windowSize]`. */
  audio?: Tensor;
  /** One `[B, spgLength]` tensor per mask name. */
  masks?: Record<string, Tensor>;
  /** Class indices, length B. */
  label?: Int32Array;
  /** One array of B values per meta field. */
  meta?: Record<string, unknown[]>;
}

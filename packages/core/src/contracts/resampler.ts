import type { PluginBase } from './plugin';

/**
 * A resampler's state for one signal fed in chunks (bounded memory for long recordings). `push`
 * returns the outputs that became computable; `end` marks the end of the signal (zeros follow it)
 * and returns the rest. The concatenated outputs equal `resample(wholeSignal)` bit for bit, for any
 * chunking. A stream is used once: calls after `end()` throw.
 */
export interface ResamplerStream {
  push(chunk: Float32Array): Float32Array;
  end(): Float32Array;
}

/**
 * Changes the sample rate of a mono signal, band-limited: the passband keeps its amplitude and
 * content above the new Nyquist frequency is removed. Returns the input itself when rates match.
 *
 * @example
 * const nearest: Resampler = {
 *   kind: 'resampler', id: 'example/nearest', options: null,
 *   resample: (x, from, to) => Float32Array.from({ length: Math.round((x.length * to) / from) }, (_, i) => x[Math.floor((i * from) / to)]!),
 * };
 */
export interface Resampler extends PluginBase<'resampler'> {
  resample(mono: Float32Array, fromRate: number, toRate: number): Float32Array;
  /** Optional streaming form of `resample` (see `ResamplerStream`). */
  stream?(fromRate: number, toRate: number): ResamplerStream;
  /**
   * Optional identity of the output values: resamplers with equal fingerprints give bit-identical
   * output for every input and rate pair (an implementation in another language may share it).
   * Changes whenever output values change, so caches keyed by it rebuild.
   */
  fingerprint?(): string;
}

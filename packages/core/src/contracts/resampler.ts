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
  /**
   * Numerics version, bumped by hand whenever output values change (0 when absent). With the id
   * and options it is part of every cache key, so an improved resampler never meets old entries.
   */
  readonly version?: number;
  resample(mono: Float32Array, fromRate: number, toRate: number): Float32Array;
  /** Optional streaming form of `resample` (see `ResamplerStream`). */
  stream?(fromRate: number, toRate: number): ResamplerStream;
}

import type { PluginBase } from './plugin';

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
}

import type { MelParams } from './mel-params';
import type { PluginBase } from './plugin';
import type { Tensor } from './tensor';

/**
 * Computes a log-mel spectrogram of a mono signal at `params.sampleRate` (SPEC section 7, steps 3-6).
 * The output is mel-major `[nMels, frameCount(samples)]`. `extract` must be deterministic, must not
 * mutate its input and must not keep state between calls. Run `describeFeatureExtractor` from
 * `@spgdataset/core/testing` on any implementation.
 *
 * @example
 * const constant: FeatureExtractor = {
 *   kind: 'extractor', id: 'example/constant', options: { ...params }, version: 1, params,
 *   fingerprint: () => fingerprint({ id: 'example/constant', version: 1, params }),
 *   frameCount: (n) => Math.floor(n / params.hopLength) ,
 *   extract: (x) => { const frames = Math.floor(x.length / params.hopLength); return { data: new Float32Array(params.nMels * frames), shape: [params.nMels, frames] }; },
 * };
 */
export interface FeatureExtractor extends PluginBase<'extractor'> {
  /** Numerics version, bumped by hand whenever output values change (not the npm version). */
  readonly version: number;
  readonly params: MelParams;
  /** Short hash of id, version and params: changes whenever output values can change. */
  fingerprint(): string;
  /** Frames produced for `samples` input samples: `floor(samples / hopLength)`. */
  frameCount(samples: number): number;
  extract(mono: Float32Array): Tensor;
  /**
   * Optional: `extract` writing its values into the start of `output` (at least
   * `nMels * frameCount(mono.length)` values) instead of a new array, and returning a tensor that
   * views `output`. A build reuses one output buffer for every file this way (no fresh memory, no
   * garbage per file). Same values as `extract`, bit for bit.
   */
  extractInto?(mono: Float32Array, output: Float32Array): Tensor;
}

import type { MelParams } from './mel-params';
import type { PluginBase } from './plugin';
import type { Tensor } from './tensor';

/**
 * What an extractor's output is, so the dataset can lay its window grid without knowing how the
 * features are computed: `rows` values per frame, one frame per `hopLength` input samples at
 * `sampleRate`. A log-mel extractor declares `{ rows: nMels, sampleRate, hopLength }`.
 */
export interface ExtractorFeatures {
  /** Rows of the output tensor `[rows, frames]` (nMels of a log-mel, coefficients of an MFCC). */
  readonly rows: number;
  /** Sample rate the input is expected at; the dataset resamples every file to it. */
  readonly sampleRate: number;
  /** Input samples per output frame. */
  readonly hopLength: number;
}

/**
 * Computes features (e.g. a log-mel spectrogram) of a mono signal at `features.sampleRate`. The
 * output is row-major `[features.rows, frames]` with `frames = extractorFrameCount(extractor, n)`.
 * `extract` must be deterministic, must not mutate its input and must not keep state between
 * calls; it may return a Promise (a GPU or remote extractor), and the dataset awaits only then.
 * `fingerprint` and `frameCount` are optional: core derives them from the declared members
 * (`extractorFingerprint`, `extractorFrameCount`). Run `describeFeatureExtractor` from
 * `@spgdataset/core/testing` on any log-mel implementation.
 *
 * @example
 * const features = { rows: 4, sampleRate: 16000, hopLength: 160 };
 * const constant: FeatureExtractor = {
 *   kind: 'extractor', id: 'example/constant', options: { rows: 4 }, version: 1, features,
 *   extract: (x) => { const frames = Math.floor(x.length / 160); return { data: new Float32Array(4 * frames), shape: [4, frames] }; },
 * };
 */
export interface FeatureExtractor extends PluginBase<'extractor'> {
  /** Numerics version, bumped by hand whenever output values change (not the npm version). */
  readonly version: number;
  /** What the output is: rows, input sample rate and hop. */
  readonly features: ExtractorFeatures;
  /** Log-mel parameters, declared by mel extractors (dsp-js, dsp-wasm). */
  readonly params?: MelParams;
  /**
   * Short hash that changes whenever output values can change. Default (`extractorFingerprint`):
   * core's `fingerprint({ id, version, options, features })`.
   */
  fingerprint?(): string;
  /** Frames produced for `samples` input samples. Default: `floor(samples / features.hopLength)`. */
  frameCount?(samples: number): number;
  extract(mono: Float32Array): Tensor | Promise<Tensor>;
  /**
   * Optional: `extract` writing its values into the start of `output` (at least
   * `features.rows * frames` values) instead of a new array, and returning a tensor that views
   * `output`. A build reuses one output buffer for every file this way (no fresh memory, no garbage
   * per file). Same values as `extract`, bit for bit.
   */
  extractInto?(mono: Float32Array, output: Float32Array): Tensor | Promise<Tensor>;
}

/**
 * A log-mel `FeatureExtractor` as dsp-js and dsp-wasm make them: mel params declared, fingerprint
 * and frame count given, and a synchronous `extract` (and `extractInto`, when present).
 */
export interface MelExtractor extends FeatureExtractor {
  readonly params: MelParams;
  fingerprint(): string;
  frameCount(samples: number): number;
  extract(mono: Float32Array): Tensor;
  extractInto?(mono: Float32Array, output: Float32Array): Tensor;
}

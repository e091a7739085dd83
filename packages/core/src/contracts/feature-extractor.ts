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
 * What turns an ended stream's raw frames into output values, once values depending on the whole
 * signal (a log-mel's maximum, mean and standard deviation) are known.
 */
export interface FeatureFinish {
  /**
   * Present when the output depends on statistics of every raw value: call it with all raw frames,
   * in order (any block sizes), exactly once, before any `apply`.
   */
  scan?(frames: Float32Array): void;
  /** Turns raw frames (any block, frame-major) into output values, in place. */
  apply(frames: Float32Array): void;
}

/**
 * An extractor's state for one signal fed in chunks (bounded memory for long recordings). Frames are
 * frame-major: `features.rows` values per frame, frame after frame. `push` returns the raw frames
 * that became computable, `end` marks the end of the signal and returns the rest; their values and
 * count do not depend on how the signal was cut. Returned arrays are borrowed: valid until the next
 * call. After `end`, `finish()` says how raw values become output values. A stream is used once.
 */
export interface FeatureStream {
  push(samples: Float32Array): Float32Array;
  end(): Float32Array;
  finish(): FeatureFinish;
  /**
   * Optional: counts raw frames of the same signal that another stream of this extractor computed
   * (a piece of a long file on another thread) toward `finish()`, as if this stream had computed
   * them; call before `end()`. With it, an extractor that declares `params` lets the dataset compute
   * a long file's frames in pieces at once: frame `t` of a log-mel depends only on the samples its
   * window covers, so a stream started at a multiple of `hopLength`, `ceil(nFft / 2 / hop)` frames
   * early, gives the whole stream's frames from there on (the conformance suite checks both).
   */
  observe?(frames: Float32Array): void;
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
  /**
   * Optional: the streaming form of `extract` (see `FeatureStream`). `extract(x)` equals the raw
   * frames of one stream over `x`, finished, laid out mel-major. The dataset generates every file
   * through it when present, in bounded memory; without it, a file's whole waveform is passed to
   * `extract` (its memory grows with the file's length).
   */
  stream?(): FeatureStream;
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
  stream?(): FeatureStream;
}

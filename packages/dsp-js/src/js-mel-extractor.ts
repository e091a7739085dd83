import {
  fingerprint,
  type MelExtractor,
  type MelOptions,
  type MelParams,
  melFeatures,
  melOptionsSchema,
  type PluginDefinition,
  resolveMelParams,
  SpgExtractorError,
  type Tensor,
  transposeInto,
} from '@spgdataset/core';
import { createLogMelPlan } from './log-mel-plan';
import { LogMelStream } from './log-mel-stream';

/** Plugin id of the pure TypeScript log-mel extractor. */
export const JS_MEL_EXTRACTOR_ID = 'dsp-js/log-mel';
/** Numerics version: bump by hand (a minor release; caches rebuild) whenever output values change. */
export const JS_MEL_EXTRACTOR_VERSION = 2;

/** Samples handed to the stream at a time by `extract` (the stream keeps a copy of at most this many). */
const EXTRACT_CHUNK = 1 << 16;
/** Largest frame-major scratch `extract` keeps between calls (16 Mi values = 64 MiB). */
const KEPT_RAW_VALUES = 16 * 2 ** 20;

/** Options of `jsMelExtractor`: the shared log-mel options. */
export type JsMelExtractorOptions = MelOptions;

/**
 * The reference log-mel extractor (docs/behaviour.md#spectrogram, steps 3-6) in pure TypeScript: float64 inside,
 * any nFft (mixed-radix FFT with a Bluestein fallback), sparse Slaney mel filters; runs in Node
 * and browsers. Throws `SpgConfigError` naming each bad option.
 *
 * Inputs that give frames but are no longer than nFft / 2 samples throw `SpgExtractorError`
 * (`SPG_EXTRACTOR_INPUT_TOO_SHORT`), as torch's reflect pad does; inputs shorter than one hop give
 * an empty `[nMels, 0]` tensor.
 *
 * @example
 * const extractor = jsMelExtractor({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 });
 * const { data, shape } = extractor.extract(new Float32Array(16000)); // shape [80, 100]
 */
export function jsMelExtractor(options: JsMelExtractorOptions): MelExtractor {
  const params: MelParams = resolveMelParams(options);
  const plan = createLogMelPlan(params);
  const id = JS_MEL_EXTRACTOR_ID;
  const version = JS_MEL_EXTRACTOR_VERSION;
  const hash = fingerprint({ id, version, params });
  let disposed = false;
  let raw = new Float32Array(0);
  const scratch = (values: number): Float32Array => {
    if (raw.length >= values) return raw.subarray(0, values);
    if (values > KEPT_RAW_VALUES) return new Float32Array(values);
    raw = new Float32Array(Math.min(KEPT_RAW_VALUES, Math.max(values, Math.ceil(raw.length * 1.5))));
    return raw.subarray(0, values);
  };
  const checkUsable = (method: string) => {
    if (disposed) {
      throw new SpgExtractorError(
        'SPG_EXTRACTOR_DISPOSED',
        `${id}: ${method}() called after dispose(); create a new extractor with jsMelExtractor(options).`,
        id,
      );
    }
  };

  const frameCount = (samples: number) => Math.floor(samples / params.hopLength);

  /** extract(): one stream over `mono`, finished, transposed to mel-major (the streaming path is the only one). */
  const compute = (mono: Float32Array, output: Float32Array | undefined): Tensor => {
    checkUsable('extract');
    const frames = frameCount(mono.length);
    const stream = new LogMelStream(plan, id);
    const values = scratch(frames * params.nMels);
    let at = 0;
    const keep = (block: Float32Array) => {
      values.set(block, at);
      at += block.length;
    };
    for (let i = 0; i < mono.length; i += EXTRACT_CHUNK)
      keep(stream.push(mono.subarray(i, i + EXTRACT_CHUNK)));
    keep(stream.end());
    const finish = stream.finish();
    finish.scan?.(values);
    finish.apply(values);
    const target = output ? output.subarray(0, values.length) : new Float32Array(values.length);
    transposeInto(values, frames, params.nMels, target);
    return { data: target, shape: [params.nMels, frames] };
  };

  return {
    kind: 'extractor',
    id,
    version,
    params,
    features: melFeatures(params),
    options: { ...options },
    fingerprint: () => hash,
    frameCount,
    extract(mono: Float32Array): Tensor {
      return compute(mono, undefined);
    },
    extractInto(mono: Float32Array, output: Float32Array): Tensor {
      const count = params.nMels * frameCount(mono.length);
      if (!(output instanceof Float32Array) || output.length < count) {
        throw new SpgExtractorError(
          'SPG_EXTRACTOR_OUTPUT_TOO_SMALL',
          `${id}: extractInto needs an output of at least nMels x frames = ${count} values for ${mono.length} samples (got ${output?.length})`,
          id,
        );
      }
      return compute(mono, output);
    },
    stream() {
      checkUsable('stream');
      return new LogMelStream(plan, id);
    },
    dispose() {
      disposed = true;
      raw = new Float32Array(0);
    },
  };
}

/** Registry definition of `dsp-js/log-mel` (options validated by core's shared mel schema). */
export const jsMelExtractorDefinition: PluginDefinition<'extractor', MelOptions> = {
  kind: 'extractor',
  id: JS_MEL_EXTRACTOR_ID,
  module: '@spgdataset/dsp-js',
  schema: melOptionsSchema,
  create: (options) => jsMelExtractor(options),
};

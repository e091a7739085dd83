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
} from '@spgdataset/core';
import { computeLogMel, createLogMelPlan } from './log-mel-plan';

/** Plugin id of the pure TypeScript log-mel extractor. */
export const JS_MEL_EXTRACTOR_ID = 'dsp-js/log-mel';
/** Numerics version: bump by hand (a minor release; caches rebuild) whenever output values change. */
export const JS_MEL_EXTRACTOR_VERSION = 1;

/** Options of `jsMelExtractor`: the shared log-mel options. */
export type JsMelExtractorOptions = MelOptions;

/**
 * The reference log-mel extractor (SPEC section 7, steps 3-6) in pure TypeScript: float64 inside,
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

  const frameCount = (samples: number) => Math.floor(samples / params.hopLength);

  const compute = (mono: Float32Array, output: Float32Array | undefined): Tensor => {
    if (disposed) {
      throw new SpgExtractorError(
        'SPG_EXTRACTOR_DISPOSED',
        `${id}: extract() called after dispose(); create a new extractor with jsMelExtractor(options).`,
        id,
      );
    }
    const frames = frameCount(mono.length);
    if (frames === 0)
      return { data: output ? output.subarray(0, 0) : new Float32Array(0), shape: [params.nMels, 0] };
    const pad = Math.floor(params.nFft / 2);
    if (mono.length <= pad) {
      throw new SpgExtractorError(
        'SPG_EXTRACTOR_INPUT_TOO_SHORT',
        `${id}: input of ${mono.length} samples gives ${frames} frame(s) but the reflect padding of nFft / 2 = ${pad} ` +
          `needs more than ${pad} samples (torch.stft refuses it too); pad the input to at least ${pad + 1} samples.`,
        id,
      );
    }
    return { data: computeLogMel(plan, mono, frames, output), shape: [params.nMels, frames] };
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
    dispose() {
      disposed = true;
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

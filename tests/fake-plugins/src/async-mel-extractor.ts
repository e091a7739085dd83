import {
  type FeatureExtractor,
  type MelOptions,
  melFeatures,
  melOptionsSchema,
  type PluginDefinition,
} from '@spgdataset/core';
import { jsMelExtractor } from '@spgdataset/dsp-js';

export const ASYNC_MEL_EXTRACTOR_ID = 'fake/async-mel';

/**
 * A third-party-style extractor: `extract` answers later (as a GPU or remote extractor would), it
 * declares only `features` (no mel `params`, no `fingerprint`, no `frameCount`: core derives
 * them), and computes what dsp-js computes.
 */
export function asyncMelExtractor(options: MelOptions): FeatureExtractor {
  const inner = jsMelExtractor(options);
  return {
    kind: 'extractor',
    id: ASYNC_MEL_EXTRACTOR_ID,
    version: 1,
    options: { ...options },
    features: melFeatures(inner.params),
    extract: async (mono) => {
      await new Promise((resolve) => setImmediate(resolve));
      return inner.extract(mono);
    },
  };
}

export const asyncMelExtractorDefinition: PluginDefinition<'extractor', MelOptions> = {
  kind: 'extractor',
  id: ASYNC_MEL_EXTRACTOR_ID,
  module: '@spgdataset-test/fake-plugins',
  schema: melOptionsSchema,
  create: (options) => asyncMelExtractor(options),
};

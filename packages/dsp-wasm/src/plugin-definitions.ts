import {
  type MelOptions,
  melOptionsSchema,
  type PluginDefinition,
  type PluginKind,
  type SincResamplerOptions,
  type StandardSchemaV1,
  sincResamplerOptionsSchema,
} from '@spgdataset/core';
import { WASM_MEL_EXTRACTOR_ID } from './wasm-mel-extractor';
import { WASM_RESAMPLER_ID } from './wasm-resampler';

/**
 * Makes the registry definitions of one plugin from an entry's factory: the browser and the Node
 * entry load dsp.wasm differently, so each makes its own from its factories.
 */
function definitionMaker<K extends PluginKind, Options>(
  kind: K,
  id: string,
  schema: StandardSchemaV1<unknown, Options>,
): (create: PluginDefinition<K, Options>['create']) => PluginDefinition<K, Options> {
  return (create) => ({ kind, id, module: '@spgdataset/dsp-wasm', schema, create });
}

/** Makes the registry definition for one platform's `wasmMelExtractor`. */
export const makeWasmMelExtractorDefinition = definitionMaker<'extractor', MelOptions>(
  'extractor',
  WASM_MEL_EXTRACTOR_ID,
  melOptionsSchema,
);

/** Makes the registry definition for one platform's `wasmResampler`. */
export const makeWasmResamplerDefinition = definitionMaker<'resampler', SincResamplerOptions>(
  'resampler',
  WASM_RESAMPLER_ID,
  sincResamplerOptionsSchema,
);

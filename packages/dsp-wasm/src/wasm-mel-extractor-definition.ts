import { type MelOptions, melOptionsSchema, type PluginDefinition } from '@spgdataset/core';
import { WASM_MEL_EXTRACTOR_ID, type WasmMelExtractorOptions } from './wasm-mel-extractor';

/** Makes the registry definition for one platform's `wasmMelExtractor`. */
export function makeWasmMelExtractorDefinition(
  create: (
    options: WasmMelExtractorOptions,
  ) => ReturnType<PluginDefinition<'extractor', MelOptions>['create']>,
): PluginDefinition<'extractor', MelOptions> {
  return {
    kind: 'extractor',
    id: WASM_MEL_EXTRACTOR_ID,
    module: '@spgdataset/dsp-wasm',
    schema: melOptionsSchema,
    create,
  };
}

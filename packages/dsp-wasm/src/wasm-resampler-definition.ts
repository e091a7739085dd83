import {
  type PluginDefinition,
  type SincResamplerOptions,
  sincResamplerOptionsSchema,
} from '@spgdataset/core';
import { WASM_RESAMPLER_ID, type WasmResamplerOptions } from './wasm-resampler';

/** Makes the registry definition for one platform's `wasmResampler`. */
export function makeWasmResamplerDefinition(
  create: (
    options: WasmResamplerOptions,
  ) => ReturnType<PluginDefinition<'resampler', SincResamplerOptions>['create']>,
): PluginDefinition<'resampler', SincResamplerOptions> {
  return {
    kind: 'resampler',
    id: WASM_RESAMPLER_ID,
    module: '@spgdataset/dsp-wasm',
    schema: sincResamplerOptionsSchema,
    create,
  };
}

// What the browser entry (index.ts) and the Node entry (node.ts) export alike; they differ only in
// how dsp.wasm is loaded.
export { DSP_ERRORS } from './dsp-errors';
export { DspInstance } from './dsp-instance';
export type { WasmInput } from './wasm-input';
export {
  WASM_MEL_EXTRACTOR_ID,
  WASM_MEL_EXTRACTOR_VERSION,
  type WasmMelExtractor,
  type WasmMelExtractorOptions,
} from './wasm-mel-extractor';
export {
  WASM_RESAMPLER_ID,
  WASM_RESAMPLER_KERNELS_VERSION,
  WASM_RESAMPLER_VERSION,
  type WasmResampler,
  type WasmResamplerOptions,
} from './wasm-resampler';

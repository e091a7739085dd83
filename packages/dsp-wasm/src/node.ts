// Node entry (selected by the "node" export condition): dsp.wasm is read from next to this module.
import { readFile } from 'node:fs/promises';
import { makeLoadDsp } from './dsp-instance';
import { makeWasmMelExtractorDefinition, makeWasmResamplerDefinition } from './plugin-definitions';
import { makeWasmMelExtractor } from './wasm-mel-extractor';
import { makeWasmResampler } from './wasm-resampler';

export * from './shared-exports';

const readFileUrl = async (url: URL) => new Uint8Array(await readFile(url));

/** Instantiates dsp.wasm (the bundled one unless `wasm` says otherwise); cached per module. */
export const loadDsp = makeLoadDsp(
  async () => WebAssembly.compile(await readFileUrl(new URL('./dsp.wasm', import.meta.url))),
  readFileUrl,
);

/** Log-mel extractor (docs/behaviour.md#spectrogram) computed in WebAssembly SIMD. */
export const wasmMelExtractor = makeWasmMelExtractor(loadDsp);

/** Registry definition: `{ "use": "dsp-wasm/log-mel", "options": {...} }`. */
export const wasmMelExtractorDefinition = makeWasmMelExtractorDefinition(wasmMelExtractor);

/** Resampler (core's sinc design) computed in WebAssembly SIMD, float32; has `stream()`. */
export const wasmResampler = makeWasmResampler(loadDsp);

/** Registry definition: `{ "use": "dsp-wasm/resampler", "options": { "attenuationDb": 100 } }`. */
export const wasmResamplerDefinition = makeWasmResamplerDefinition(wasmResampler);

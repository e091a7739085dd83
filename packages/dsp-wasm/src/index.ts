// Browser / bundler entry: dsp.wasm is fetched from next to this module, or, where the bundler did
// not emit that file, compiled from the copy embedded in a lazily loaded chunk.
import { compileWasm } from './compile-wasm';
import { makeLoadDsp } from './dsp-instance';
import { compileEmbeddedWasm } from './embedded-wasm';
import { makeWasmMelExtractorDefinition, makeWasmResamplerDefinition } from './plugin-definitions';
import { makeWasmMelExtractor } from './wasm-mel-extractor';
import { makeWasmResampler } from './wasm-resampler';

export * from './shared-exports';

/**
 * The default dsp.wasm. `new URL('./dsp.wasm', import.meta.url)` is the pattern Vite (build),
 * webpack 5 and Rollup with `@web/rollup-plugin-import-meta-assets` turn into an emitted
 * asset, fetched with streaming compilation. When that fetch fails or returns something other than
 * wasm (esbuild and plain Rollup copy no asset; Vite's dev server prebundles dependencies away from
 * the file and answers with its HTML page), the embedded copy is used: every bundler works unconfigured.
 */
async function loadDefaultModule(): Promise<WebAssembly.Module> {
  try {
    return await compileWasm(new URL('./dsp.wasm', import.meta.url));
  } catch (fetchError) {
    try {
      return await compileEmbeddedWasm();
    } catch (embeddedError) {
      throw new Error(
        `dsp.wasm could not be loaded: next to the bundle (${(fetchError as Error).message}) nor from the embedded copy (${(embeddedError as Error).message}); pass wasmMelExtractor({ ..., wasm }) a URL or the bytes of @spgdataset/dsp-wasm/dsp.wasm`,
        { cause: embeddedError },
      );
    }
  }
}

/** Instantiates dsp.wasm (the bundled one unless `wasm` says otherwise); cached per module. */
export const loadDsp = makeLoadDsp(loadDefaultModule);

/** Log-mel extractor (docs/behaviour.md#spectrogram) computed in WebAssembly SIMD. */
export const wasmMelExtractor = makeWasmMelExtractor(loadDsp);

/** Registry definition: `{ "use": "dsp-wasm/log-mel", "options": {...} }`. */
export const wasmMelExtractorDefinition = makeWasmMelExtractorDefinition(wasmMelExtractor);

/** Resampler (core's sinc design) computed in WebAssembly SIMD, float32; has `stream()`. */
export const wasmResampler = makeWasmResampler(loadDsp);

/** Registry definition: `{ "use": "dsp-wasm/resampler", "options": { "attenuationDb": 100 } }`. */
export const wasmResamplerDefinition = makeWasmResamplerDefinition(wasmResampler);

/** dsp.wasm as base64: `dist/dsp-wasm-embedded.js`, written by scripts/build-wasm.mjs. */
declare const base64: string;
export default base64;

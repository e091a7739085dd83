/** Where dsp.wasm comes from: a URL to fetch, its bytes, or an already compiled module. */
export type WasmInput = URL | Uint8Array | ArrayBuffer | WebAssembly.Module;

/** Loads the dsp.wasm that ships next to this module (platform-specific: fs in Node, fetch elsewhere). */
export type DefaultModuleLoader = () => Promise<WebAssembly.Module>;

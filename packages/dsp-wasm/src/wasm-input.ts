/** Where dsp.wasm comes from: a URL to fetch, its bytes, or an already compiled module. */
export type WasmInput = URL | Uint8Array | ArrayBuffer | WebAssembly.Module;

/** Loads the dsp.wasm that ships next to this module (platform-specific: fs in Node, fetch elsewhere). */
export type DefaultModuleLoader = () => Promise<WebAssembly.Module>;

declare global {
  // Node projects type-checked without the DOM lib (only @types/node) have no WebAssembly types;
  // this empty interface gives `WasmInput` a meaning there and merges with the lib's elsewhere.
  namespace WebAssembly {
    interface Module {}
  }
}

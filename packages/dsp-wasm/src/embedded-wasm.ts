/** Bytes of a base64 string (atob exists in browsers, workers and Node >= 16). */
function fromBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Compiles the copy of dsp.wasm embedded as base64 in a separate, lazily imported module: bundlers
 * put it in its own chunk, so it is only downloaded when the dsp.wasm file next to the bundle is not
 * served (esbuild, Vite's dev-time dependency optimizer, Rollup without an assets plugin).
 */
export async function compileEmbeddedWasm(): Promise<WebAssembly.Module> {
  const { default: base64 } = await import('./dsp-wasm-embedded.js');
  return WebAssembly.compile(fromBase64(base64));
}

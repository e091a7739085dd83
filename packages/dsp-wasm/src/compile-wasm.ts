import type { WasmInput } from './wasm-input';

/** Compiles a `WasmInput` (fetching URLs, streaming where the server sends application/wasm). */
export async function compileWasm(input: WasmInput): Promise<WebAssembly.Module> {
  if (input instanceof WebAssembly.Module) return input;
  if (input instanceof URL) return compileUrl(input);
  return WebAssembly.compile(input instanceof Uint8Array ? input.slice() : input);
}

async function compileUrl(url: URL): Promise<WebAssembly.Module> {
  if (url.protocol === 'file:') {
    throw new Error(
      `dsp.wasm at ${url.href}: file: URLs are read by the Node build of @spgdataset/dsp-wasm; pass the bytes instead.`,
    );
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`dsp.wasm: fetching ${url.href} failed with HTTP ${response.status}`);
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(response.clone());
    } catch {
      // Wrong MIME type (servers often send application/octet-stream): fall back to bytes.
    }
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

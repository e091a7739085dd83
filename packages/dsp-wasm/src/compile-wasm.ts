import type { WasmInput } from './wasm-input';

/** Reads a `file:` URL (only the Node entry can). */
export type ReadFileUrl = (url: URL) => Promise<Uint8Array<ArrayBuffer>>;

/** Compiles a `WasmInput`: fetches http(s) URLs (streaming when served as application/wasm). */
export async function compileWasm(input: WasmInput, readFileUrl?: ReadFileUrl): Promise<WebAssembly.Module> {
  if (input instanceof WebAssembly.Module) return input;
  if (input instanceof URL) return compileUrl(input, readFileUrl);
  return WebAssembly.compile(input instanceof Uint8Array ? input.slice() : input);
}

async function compileUrl(url: URL, readFileUrl?: ReadFileUrl): Promise<WebAssembly.Module> {
  if (url.protocol === 'file:') {
    if (!readFileUrl) {
      throw new Error(
        `dsp.wasm at ${url.href}: file: URLs are read by the Node build of @spgdataset/dsp-wasm; pass the bytes instead.`,
      );
    }
    return WebAssembly.compile(await readFileUrl(url));
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

import { compileWasm } from './compile-wasm';
import { type DspExports, EXPECTED_ABI_VERSION } from './dsp-exports';
import type { DefaultModuleLoader, WasmInput } from './wasm-input';

/** One instantiated dsp.wasm. Typed views are re-made on demand because memory can grow. */
export class DspInstance {
  constructor(readonly exports: DspExports) {}

  f32(ptr: number, len: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, ptr >>> 0, len);
  }

  /** Sum of `values` computed in wasm (proof of the build and load pipeline). */
  sum(values: Float32Array): number {
    const ptr = this.exports.alloc_f32(values.length) >>> 0;
    try {
      this.f32(ptr, values.length).set(values);
      return this.exports.sum_f32(ptr, values.length);
    } finally {
      this.exports.free_f32(ptr, values.length);
    }
  }
}

const moduleCache = new WeakMap<object, Promise<WebAssembly.Module>>();

/** Makes `loadDsp` for one platform: the default module is compiled once and cached. */
export function makeLoadDsp(loadDefault: DefaultModuleLoader) {
  let defaultModule: Promise<WebAssembly.Module> | undefined;
  return async function loadDsp(wasm?: WasmInput): Promise<DspInstance> {
    let module: Promise<WebAssembly.Module>;
    if (wasm === undefined) {
      defaultModule ??= loadDefault();
      module = defaultModule;
    } else {
      const cached = moduleCache.get(wasm);
      module = cached ?? compileWasm(wasm);
      if (!cached) moduleCache.set(wasm, module);
    }
    const instance = await WebAssembly.instantiate(await module, {});
    const exports = instance.exports as unknown as DspExports;
    const version = exports.abi_version();
    if (version !== EXPECTED_ABI_VERSION) {
      throw new Error(
        `dsp.wasm speaks ABI ${version}, this glue expects ${EXPECTED_ABI_VERSION}: rebuild the package.`,
      );
    }
    return new DspInstance(exports);
  };
}

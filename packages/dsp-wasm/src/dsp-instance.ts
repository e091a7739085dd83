import { compileWasm, type ReadFileUrl } from './compile-wasm';
import { type DspExports, EXPECTED_ABI_VERSION } from './dsp-exports';
import type { DefaultModuleLoader, WasmInput } from './wasm-input';

/** One instantiated dsp.wasm, shared by every extractor made from the same module in this thread. */
export class DspInstance {
  constructor(readonly exports: DspExports) {}

  /** A fresh view: memory can grow on any allocating call, which detaches older views. */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, ptr >>> 0, length);
  }

  /** Current size of the wasm linear memory in bytes. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }
}

const compiled = new WeakMap<object, Promise<WebAssembly.Module>>();
const instances = new WeakMap<WebAssembly.Module, Promise<DspInstance>>();

async function instantiate(module: WebAssembly.Module): Promise<DspInstance> {
  const instance = await WebAssembly.instantiate(module, {});
  const exports = instance.exports as unknown as DspExports;
  const version = exports.abi_version();
  if (version !== EXPECTED_ABI_VERSION) {
    throw new Error(
      `dsp.wasm speaks ABI ${version}, this glue expects ${EXPECTED_ABI_VERSION}: rebuild @spgdataset/dsp-wasm.`,
    );
  }
  return new DspInstance(exports);
}

/**
 * Makes the instance loader for one platform. Each module source (the default file, a URL, bytes,
 * a module) is compiled once and instantiated once per thread.
 */
export function makeLoadDsp(loadDefault: DefaultModuleLoader, readFileUrl?: ReadFileUrl) {
  let defaultModule: Promise<WebAssembly.Module> | undefined;
  return async function loadDsp(wasm?: WasmInput): Promise<DspInstance> {
    let module: Promise<WebAssembly.Module>;
    if (wasm === undefined) {
      if (!defaultModule) {
        defaultModule = loadDefault();
        defaultModule.catch(() => {
          defaultModule = undefined;
        });
      }
      module = defaultModule;
    } else {
      const cached = compiled.get(wasm);
      module = cached ?? compileWasm(wasm, readFileUrl);
      if (!cached) {
        compiled.set(wasm, module);
        // A failed compile is not cached: the caller may fix the file and retry.
        module.catch(() => compiled.delete(wasm));
      }
    }
    const resolved = await module;
    let instance = instances.get(resolved);
    if (!instance) {
      instance = instantiate(resolved);
      instances.set(resolved, instance);
      instance.catch(() => instances.delete(resolved));
    }
    return instance;
  };
}

export type LoadDsp = ReturnType<typeof makeLoadDsp>;

// Browser / bundler entry: dsp.wasm is fetched from next to this module.
import { compileWasm } from './compile-wasm';
import { makeLoadDsp } from './dsp-instance';

export { DspInstance } from './dsp-instance';
export type { WasmInput } from './wasm-input';

/** Instantiates dsp.wasm (the bundled one unless `wasm` says otherwise). */
export const loadDsp = makeLoadDsp(() => compileWasm(new URL('./dsp.wasm', import.meta.url)));

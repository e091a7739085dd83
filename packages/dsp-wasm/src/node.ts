// Node entry (selected by the "node" export condition): dsp.wasm is read from next to this module.
import { readFile } from 'node:fs/promises';
import { makeLoadDsp } from './dsp-instance';

export { DspInstance } from './dsp-instance';
export type { WasmInput } from './wasm-input';

/** Instantiates dsp.wasm (the bundled one unless `wasm` says otherwise). */
export const loadDsp = makeLoadDsp(async () =>
  WebAssembly.compile(await readFile(new URL('./dsp.wasm', import.meta.url))),
);

/** The raw `extern "C"` exports of dsp.wasm (protocol documented at the top of crate/src/lib.rs). */
export interface DspExports {
  memory: WebAssembly.Memory;
  abi_version(): number;
  alloc_f32(len: number): number;
  free_f32(ptr: number, len: number): void;
  sum_f32(ptr: number, len: number): number;
}

/** ABI version this glue speaks; a different dsp.wasm is refused. */
export const EXPECTED_ABI_VERSION = 1;

/** The raw `extern "C"` exports of dsp.wasm (protocol documented at the top of crate/src/lib.rs). */
export interface DspExports {
  /** Typed by what the glue reads, so projects without the DOM lib type-check. */
  memory: { readonly buffer: ArrayBuffer };
  abi_version(): number;
  error_code_count(): number;
  last_error(): number;
  plan_new(
    sampleRate: number,
    nFft: number,
    hopLength: number,
    nMels: number,
    fMin: number,
    fMax: number,
    flags: number,
  ): number;
  stream_begin(handle: number): number;
  stream_input_ptr(handle: number, samples: number): number;
  stream_run(handle: number, last: number): number;
  stream_max(handle: number): number;
  plan_output_ptr(handle: number): number;
  plan_frames(handle: number): number;
  plan_free(handle: number): number;
  finish_values_ptr(values: number): number;
  finish_sums_ptr(): number;
  finish_scan(values: number, floor: number, shift: number, lane: number): number;
  finish_apply(values: number, floor: number, mean: number, inv: number): number;
  finish_apply_transposed(values: number, nMels: number, floor: number, mean: number, inv: number): number;
  finish_out_ptr(): number;
  resampler_new(up: number, down: number): number;
  resampler_add_polyphase(handle: number, up: number, down: number, taps: number, rows: number): number;
  resampler_add_halfband(handle: number, decimate: number, pairs: number): number;
  resampler_reset(handle: number): number;
  resampler_input_ptr(handle: number, samples: number): number;
  resampler_run(handle: number, last: number): number;
  resampler_output_ptr(handle: number): number;
  resampler_output_len(handle: number): number;
  resampler_free(handle: number): number;
}

/** ABI version this glue speaks; a different dsp.wasm is refused. */
export const EXPECTED_ABI_VERSION = 5;

/** `plan_new` flags (bit 0, normalize, is applied by this glue since ABI 4). */
export const PLAN_FLAG_HTK = 2;

/** Largest nFft the crate accepts (crate/src/plan.rs `MAX_N_FFT`). */
export const MAX_N_FFT = 1 << 20;

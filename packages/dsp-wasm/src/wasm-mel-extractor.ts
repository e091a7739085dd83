import {
  fingerprint,
  type MelExtractor,
  type MelOptions,
  type MelParams,
  melFeatures,
  resolveMelParams,
  SpgConfigError,
  SpgExtractorError,
  type Tensor,
} from '@spgdataset/core';
import { dspError } from './dsp-errors';
import { MAX_N_FFT, PLAN_FLAG_HTK, PLAN_FLAG_NORMALIZE } from './dsp-exports';
import type { DspInstance, LoadDsp } from './dsp-instance';
import type { WasmInput } from './wasm-input';

export const WASM_MEL_EXTRACTOR_ID = 'dsp-wasm/log-mel';

/** Numerics version: bump (minor changeset, caches rebuild) whenever output values change. */
export const WASM_MEL_EXTRACTOR_VERSION = 1;

/** Mel options plus where dsp.wasm comes from (default: the file shipped next to this module). */
export type WasmMelExtractorOptions = MelOptions & { wasm?: WasmInput | undefined };

/** A log-mel `MelExtractor` that also reports its wasm memory (for long-input checks). */
export interface WasmMelExtractor extends MelExtractor {
  /** Bytes of wasm linear memory (shared by the extractors of one module in this thread). */
  readonly memoryBytes: number;
}

// Plans of extractors that are garbage-collected without dispose() are freed too.
const finalizer = new FinalizationRegistry<{ dsp: DspInstance; handle: number }>(({ dsp, handle }) => {
  dsp.exports.plan_free(handle);
});

/** Makes `wasmMelExtractor` for one platform's default dsp.wasm loader. */
export function makeWasmMelExtractor(loadDsp: LoadDsp) {
  return async function wasmMelExtractor(options: WasmMelExtractorOptions): Promise<WasmMelExtractor> {
    const { wasm, ...melOptions } = options;
    const params = resolveMelParams(melOptions);
    if (params.nFft > MAX_N_FFT) {
      throw new SpgConfigError([{ path: 'nFft', message: `must be <= ${MAX_N_FFT} (got ${params.nFft})` }]);
    }
    const dsp = await loadDsp(wasm);
    return createExtractor(dsp, params);
  };
}

function createExtractor(dsp: DspInstance, params: MelParams): WasmMelExtractor {
  const ex = dsp.exports;
  const fail = (code: number, context: string): never => {
    const error = dspError(code, 'EXTRACTOR');
    throw new SpgExtractorError(
      error.code,
      `${WASM_MEL_EXTRACTOR_ID}: ${context}: ${error.message}`,
      WASM_MEL_EXTRACTOR_ID,
    );
  };
  const flags = (params.normalize ? PLAN_FLAG_NORMALIZE : 0) | (params.htk ? PLAN_FLAG_HTK : 0);
  let handle = ex.plan_new(
    params.sampleRate,
    params.nFft,
    params.hopLength,
    params.nMels,
    params.fMin,
    params.fMax,
    flags,
  );
  if (handle === 0) fail(ex.last_error(), `creating a plan for ${JSON.stringify(params)}`);
  const token = {};
  finalizer.register(token, { dsp, handle }, token);
  const id = WASM_MEL_EXTRACTOR_ID;
  const version = WASM_MEL_EXTRACTOR_VERSION;
  const print = fingerprint({ id, version, params });

  /** Copies `mono` into the plan's input (wasm memory, reused across calls) and runs; returns the frames. */
  const run = (mono: Float32Array): number => {
    if (handle === 0) {
      throw new SpgExtractorError(
        'SPG_EXTRACTOR_DISPOSED',
        `${id}: extract() after dispose(); create a new extractor`,
        id,
      );
    }
    const inputPtr = ex.plan_input_ptr(handle, mono.length) >>> 0;
    if (inputPtr === 0) fail(ex.last_error(), `sizing buffers for ${mono.length} samples`);
    dsp.f32(inputPtr, mono.length).set(mono);
    const status = ex.plan_run(handle);
    if (status !== 0) fail(status, `input of ${mono.length} samples (nFft ${params.nFft})`);
    return ex.plan_frames(handle) >>> 0;
  };

  const extractor: WasmMelExtractor = {
    kind: 'extractor',
    id,
    version,
    params,
    features: melFeatures(params),
    options: { ...params },
    get memoryBytes() {
      return dsp.memoryBytes;
    },
    fingerprint: () => print,
    frameCount: (samples) => Math.floor(samples / params.hopLength),
    extract(mono: Float32Array): Tensor {
      const frames = run(mono);
      const data = dsp.f32(ex.plan_output_ptr(handle), params.nMels * frames).slice();
      return { data, shape: [params.nMels, frames] };
    },
    extractInto(mono: Float32Array, output: Float32Array): Tensor {
      const frames = run(mono);
      const count = params.nMels * frames;
      if (!(output instanceof Float32Array) || output.length < count) {
        throw new SpgExtractorError(
          'SPG_EXTRACTOR_OUTPUT_TOO_SMALL',
          `${id}: extractInto needs an output of at least nMels x frames = ${count} values for ${mono.length} samples (got ${output?.length})`,
          id,
        );
      }
      const data = output.subarray(0, count);
      data.set(dsp.f32(ex.plan_output_ptr(handle), count));
      return { data, shape: [params.nMels, frames] };
    },
    dispose() {
      if (handle === 0) return;
      finalizer.unregister(token);
      ex.plan_free(handle);
      handle = 0;
    },
  };
  return extractor;
}

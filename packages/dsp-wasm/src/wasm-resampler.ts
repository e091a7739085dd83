import {
  checkResampleRate,
  passThroughStream,
  type Resampler,
  type ResamplerDesign,
  type ResamplerStream,
  resampledLength,
  resamplerDesigns,
  resolveSincResamplerOptions,
  SINC_RESAMPLER_VERSION,
  type SincResamplerOptions,
  type SincResamplerParams,
  SpgError,
} from '@spgdataset/core';
import { dspError } from './dsp-errors';
import type { DspInstance, LoadDsp } from './dsp-instance';
import type { WasmInput } from './wasm-input';

export const WASM_RESAMPLER_ID = 'dsp-wasm/resampler';

/**
 * Version of the wasm kernels (float32 SIMD; FFT half-band): bump (minor changeset) whenever
 * their output values change.
 */
export const WASM_RESAMPLER_KERNELS_VERSION = 2;

/**
 * Numerics version (`Resampler.version`, part of every cache key): the filter design is core's
 * `designResampler` (SINC_RESAMPLER_VERSION), the arithmetic these kernels', so both count.
 */
export const WASM_RESAMPLER_VERSION = 100 * SINC_RESAMPLER_VERSION + WASM_RESAMPLER_KERNELS_VERSION;

/** `sincResampler`'s options plus where dsp.wasm comes from (default: the file next to this module). */
export type WasmResamplerOptions = SincResamplerOptions & { wasm?: WasmInput };

/** A `Resampler` with a `stream()` that also reports its wasm memory. */
export interface WasmResampler extends Resampler {
  stream(fromRate: number, toRate: number): ResamplerStream;
  /** Bytes of wasm linear memory (shared by the plugins of one module in this thread). */
  readonly memoryBytes: number;
}

// Input is handed to dsp.wasm this many samples at a time: bounded wasm memory for any length.
const CHUNK = 1 << 16;

// Streams that are garbage-collected without end() free their handle too.
const finalizer = new FinalizationRegistry<{ dsp: DspInstance; handle: number }>(({ dsp, handle }) => {
  dsp.exports.resampler_free(handle);
});

/** Makes `wasmResampler` for one platform's default dsp.wasm loader. */
export function makeWasmResampler(loadDsp: LoadDsp) {
  return async function wasmResampler(options: WasmResamplerOptions = {}): Promise<WasmResampler> {
    const { wasm, ...rest } = options;
    const resolved = resolveSincResamplerOptions(rest);
    const dsp = await loadDsp(wasm);
    return createResampler(dsp, resolved.options, resolved.params);
  };
}

function createResampler(
  dsp: DspInstance,
  options: SincResamplerOptions,
  params: SincResamplerParams,
): WasmResampler {
  const ex = dsp.exports;
  const id = WASM_RESAMPLER_ID;
  // One handle per rate pair for whole-array calls (reset before each signal).
  const handles = new Map<string, number>();
  let disposed = false;

  const fail = (code: number, context: string): never => {
    const error = dspError(code, 'RESAMPLER');
    throw new SpgError(error.code, `${id}: ${context}: ${error.message}`, { resamplerId: id });
  };
  const checkUsable = () => {
    if (disposed) {
      throw new SpgError('SPG_RESAMPLER_DISPOSED', `${id}: used after dispose(); create a new resampler`, {
        resamplerId: id,
      });
    }
  };
  const design = resamplerDesigns(params);
  /** A dsp.wasm resampler loaded with `d`'s tables. */
  const newHandle = (d: ResamplerDesign): number => {
    const handle = ex.resampler_new(d.up, d.down);
    if (handle === 0) fail(ex.last_error(), `creating a resampler for ${d.down} -> ${d.up}`);
    for (const stage of d.stages) {
      const isPolyphase = stage.kind === 'polyphase';
      const ptr =
        (isPolyphase
          ? ex.resampler_add_polyphase(handle, stage.up, stage.down, stage.taps, stage.rows)
          : ex.resampler_add_halfband(handle, stage.direction === 'decimate' ? 1 : 0, stage.pairs)) >>> 0;
      if (ptr === 0) {
        const code = ex.last_error();
        ex.resampler_free(handle);
        fail(code, `loading the filter tables for ${d.down} -> ${d.up}`);
      }
      // Float64 design coefficients, rounded to float32 here.
      dsp.f32(ptr, stage.coefficients.length).set(stage.coefficients);
    }
    return handle;
  };
  /** Feeds one chunk (at most CHUNK samples); returns a view of the outputs (valid until the next call). */
  const feed = (handle: number, chunk: Float32Array, last: boolean): Float32Array => {
    if (chunk.length > 0) {
      const ptr = ex.resampler_input_ptr(handle, chunk.length) >>> 0;
      if (ptr === 0) fail(ex.last_error(), `taking ${chunk.length} samples`);
      dsp.f32(ptr, chunk.length).set(chunk);
    }
    const status = ex.resampler_run(handle, last ? 1 : 0);
    if (status !== 0) fail(status, last ? 'end()' : 'push()');
    return dsp.f32(ex.resampler_output_ptr(handle), ex.resampler_output_len(handle) >>> 0);
  };

  return {
    kind: 'resampler',
    id,
    version: WASM_RESAMPLER_VERSION,
    options: { ...options },
    get memoryBytes() {
      return dsp.memoryBytes;
    },
    resample(mono, fromRate, toRate) {
      checkUsable();
      if (fromRate === toRate) {
        checkResampleRate('fromRate', fromRate);
        return mono;
      }
      const d = design(fromRate, toRate);
      const key = `${fromRate}:${toRate}`;
      let handle = handles.get(key);
      if (handle === undefined) {
        handle = newHandle(d);
        handles.set(key, handle);
      }
      const status = ex.resampler_reset(handle);
      if (status !== 0) fail(status, 'starting a signal');
      const out = new Float32Array(resampledLength(mono.length, d.up, d.down));
      let at = 0;
      let i = 0;
      do {
        const chunk = mono.subarray(i, i + CHUNK);
        i += CHUNK;
        const outputs = feed(handle, chunk, i >= mono.length);
        out.set(outputs, at);
        at += outputs.length;
      } while (i < mono.length);
      return out;
    },
    stream(fromRate, toRate) {
      checkUsable();
      if (fromRate === toRate) {
        checkResampleRate('fromRate', fromRate);
        return passThroughStream(id);
      }
      const handle = newHandle(design(fromRate, toRate));
      const token = {};
      finalizer.register(token, { dsp, handle }, token);
      let ended = false;
      const checkOpen = (method: string) => {
        if (ended) fail(6, `${method}() after end()`);
      };
      return {
        push(chunk) {
          checkOpen('push');
          const parts: Float32Array[] = [];
          for (let i = 0; i < chunk.length; i += CHUNK)
            parts.push(feed(handle, chunk.subarray(i, i + CHUNK), false).slice());
          return concat(parts);
        },
        end() {
          checkOpen('end');
          const rest = feed(handle, new Float32Array(0), true).slice();
          ended = true;
          finalizer.unregister(token);
          ex.resampler_free(handle);
          return rest;
        },
      };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const handle of handles.values()) ex.resampler_free(handle);
      handles.clear();
    },
  };
}

function concat(parts: Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

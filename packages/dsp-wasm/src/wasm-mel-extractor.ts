import {
  type FeatureStream,
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
import { MAX_N_FFT, PLAN_FLAG_HTK } from './dsp-exports';
import type { DspInstance, LoadDsp } from './dsp-instance';
import type { WasmInput } from './wasm-input';
import { type WasmLogMelFinish, wasmLogMelFinish } from './wasm-log-mel-finish';

export const WASM_MEL_EXTRACTOR_ID = 'dsp-wasm/log-mel';

/** Numerics version: bump (minor changeset, caches rebuild) whenever output values change. */
export const WASM_MEL_EXTRACTOR_VERSION = 2;

/**
 * Samples handed to dsp.wasm at a time: its memory holds one chunk plus an nFft of history and the
 * chunk's frames, whatever the signal's length.
 */
const CHUNK = 1 << 16;
/** Largest frame-major scratch `extract` keeps between calls (16 Mi values = 64 MiB). */
const KEPT_RAW_VALUES = 16 * 2 ** 20;

/** Mel options plus where dsp.wasm comes from (default: the file shipped next to this module). */
export type WasmMelExtractorOptions = MelOptions & { wasm?: WasmInput | undefined };

/** A log-mel `MelExtractor` that also reports its wasm memory (for long-input checks). */
export interface WasmMelExtractor extends MelExtractor {
  /** Bytes of wasm linear memory (shared by the extractors of one module in this thread). */
  readonly memoryBytes: number;
}

// Plans of extractors that are garbage-collected without dispose() are freed too.
const finalizer = new FinalizationRegistry<{ dsp: DspInstance; handles: Set<number> }>(({ dsp, handles }) => {
  for (const handle of handles) dsp.exports.plan_free(handle);
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

/** A stream whose finish also transposes (what `extract` uses). */
interface WasmFeatureStream extends FeatureStream {
  /**
   * `push` (or, with `last`, a final push and `end`) whose frames are copied from dsp.wasm straight
   * into `target` from value `at` on (no copy through the stream's own array); returns the new end.
   */
  feedInto(samples: Float32Array, last: boolean, target: Float32Array, at: number): number;
  finish(): WasmLogMelFinish;
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
  const flags = params.htk ? PLAN_FLAG_HTK : 0;
  const newPlan = (): number => {
    const made = ex.plan_new(
      params.sampleRate,
      params.nFft,
      params.hopLength,
      params.nMels,
      params.fMin,
      params.fMax,
      flags,
    );
    if (made === 0) fail(ex.last_error(), `creating a plan for ${JSON.stringify(params)}`);
    return made;
  };
  // Each stream in progress has a plan of its own (dsp.wasm keeps one signal's state per plan); plans
  // are reused from stream to stream, so one at a time (the usual case) costs one plan.
  const plans = new Set<number>([newPlan()]);
  const idle = [...plans];
  let disposed = false;
  const token = {};
  finalizer.register(token, { dsp, handles: plans }, token);
  const id = WASM_MEL_EXTRACTOR_ID;
  const version = WASM_MEL_EXTRACTOR_VERSION;
  const print = fingerprint({ id, version, params });
  const { nMels, hopLength } = params;
  let raw = new Float32Array(0);
  // The frames array of the last finished stream, for the next one (a fresh one per stream, grown
  // several times per file, was external memory that pushed V8 into a full collection every few files).
  let spareOut: Float32Array | undefined;

  const checkUsable = (method: string) => {
    if (disposed) {
      throw new SpgExtractorError(
        'SPG_EXTRACTOR_DISPOSED',
        `${id}: ${method}() after dispose(); create a new extractor`,
        id,
      );
    }
  };

  /**
   * A stream over a plan of its own. Chunks are copied into wasm memory CHUNK samples at a time; the
   * frames of each call are copied out into an array reused by the stream (borrowed until its next
   * call). The plan goes back to the pool at `finish()` or when a call fails.
   */
  const openStream = (): WasmFeatureStream => {
    checkUsable('stream');
    let handle = idle.pop() ?? newPlan();
    plans.add(handle);
    const release = () => {
      if (handle !== 0 && !disposed) idle.push(handle);
      handle = 0;
    };
    if (ex.stream_begin(handle) !== 0) {
      const code = ex.last_error();
      release();
      fail(code, 'starting a stream');
    }
    let out = spareOut ?? new Float32Array(0);
    spareOut = undefined;
    let received = 0;
    let ended = false;
    /** The largest raw value of frames computed elsewhere (`observe`). */
    let observedMax = Number.NEGATIVE_INFINITY;
    const check = (method: string) => {
      checkUsable(method);
      if (ended)
        throw new SpgExtractorError(
          'SPG_EXTRACTOR_STREAM_ENDED',
          `${id}: ${method}() after end(); start a new stream() for the next signal`,
          id,
        );
    };
    /** Runs one chunk; writes its frames to `target` (default: `out`, grown) from `at`; returns the new end. */
    const run = (chunk: Float32Array, last: boolean, at: number, target?: Float32Array): number => {
      const ptr = ex.stream_input_ptr(handle, chunk.length) >>> 0;
      if (ptr === 0) {
        const code = ex.last_error();
        release();
        fail(code, `sizing buffers for ${chunk.length} samples`);
      }
      dsp.f32(ptr, chunk.length).set(chunk);
      received += chunk.length;
      const status = ex.stream_run(handle, last ? 1 : 0);
      if (status !== 0) {
        release();
        fail(status, `input of ${received} samples (nFft ${params.nFft})`);
      }
      const values = (ex.plan_frames(handle) >>> 0) * nMels;
      if (!target && out.length < at + values) {
        const grown = new Float32Array(Math.max(at + values, Math.ceil(out.length * 1.5)));
        grown.set(out.subarray(0, at));
        out = grown;
      }
      (target ?? out).set(dsp.f32(ex.plan_output_ptr(handle), values), at);
      return at + values;
    };
    const feedInto = (samples: Float32Array, last: boolean, at: number, target?: Float32Array): number => {
      if (samples.length === 0 && last) return run(samples, true, at, target);
      for (let i = 0; i < samples.length; i += CHUNK) {
        const end = Math.min(samples.length, i + CHUNK);
        at = run(samples.subarray(i, end), last && end === samples.length, at, target);
      }
      return at;
    };
    const feed = (samples: Float32Array, last: boolean): Float32Array => {
      const at = feedInto(samples, last, 0);
      // Read `out` after the run: growing it replaces the array.
      return out.subarray(0, at);
    };
    return {
      feedInto(samples, last, target, at) {
        check(last ? 'end' : 'push');
        ended = last;
        return feedInto(samples, last, at, target);
      },
      push(samples) {
        check('push');
        return feed(samples, false);
      },
      end() {
        check('end');
        ended = true;
        return feed(new Float32Array(0), true);
      },
      observe(frames) {
        check('observe');
        let max = observedMax;
        for (let i = 0; i < frames.length; i++) if (frames[i]! > max) max = frames[i]!;
        observedMax = max;
      },
      finish(): WasmLogMelFinish {
        checkUsable('finish');
        if (!ended || handle === 0)
          throw new SpgExtractorError(
            ended ? 'SPG_EXTRACTOR_STREAM_ENDED' : 'SPG_EXTRACTOR_STREAM_OPEN',
            `${id}: finish() ${ended ? 'called twice' : 'before end()'}; one finish() per ended stream`,
            id,
          );
        const max = Math.max(ex.stream_max(handle), observedMax);
        release();
        // The last call's frames were borrowed until this call: `out` is free for the next stream.
        if (!spareOut || spareOut.length < out.length) spareOut = out;
        return wasmLogMelFinish(dsp, id, max, params.normalize);
      },
    };
  };

  const scratch = (values: number): Float32Array => {
    if (raw.length >= values) return raw.subarray(0, values);
    if (values > KEPT_RAW_VALUES) return new Float32Array(values);
    raw = new Float32Array(Math.min(KEPT_RAW_VALUES, Math.max(values, Math.ceil(raw.length * 1.5))));
    return raw.subarray(0, values);
  };

  /** extract(): one stream over `mono`, finished, transposed to mel-major (the streaming path is the only one). */
  const compute = (mono: Float32Array, output: Float32Array | undefined): Tensor => {
    checkUsable('extract');
    const frames = Math.floor(mono.length / hopLength);
    const values = scratch(frames * nMels);
    const stream = openStream();
    stream.feedInto(mono, true, values, 0);
    const finish = stream.finish();
    finish.scan?.(values);
    const target = output ? output.subarray(0, values.length) : new Float32Array(values.length);
    finish.applyTransposed(values, nMels, target);
    return { data: target, shape: [nMels, frames] };
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
    frameCount: (samples) => Math.floor(samples / hopLength),
    extract(mono: Float32Array): Tensor {
      return compute(mono, undefined);
    },
    extractInto(mono: Float32Array, output: Float32Array): Tensor {
      const count = nMels * Math.floor(mono.length / hopLength);
      if (!(output instanceof Float32Array) || output.length < count) {
        throw new SpgExtractorError(
          'SPG_EXTRACTOR_OUTPUT_TOO_SMALL',
          `${id}: extractInto needs an output of at least nMels x frames = ${count} values for ${mono.length} samples (got ${output?.length})`,
          id,
        );
      }
      return compute(mono, output);
    },
    stream: openStream,
    dispose() {
      if (disposed) return;
      disposed = true;
      finalizer.unregister(token);
      for (const plan of plans) ex.plan_free(plan);
      plans.clear();
      idle.length = 0;
      raw = new Float32Array(0);
    },
  };
  return extractor;
}

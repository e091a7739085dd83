import { type FeatureFinish, SpgExtractorError } from '@spgdataset/core';
import { dspError } from './dsp-errors';
import type { DspInstance } from './dsp-instance';

/** Values handed to dsp.wasm per finish call (bounds its block buffer at 1 MiB). */
const BLOCK = 1 << 18;

/**
 * The log-mel's file-wide end (docs/behaviour.md#spectrogram, steps 7-8) computed by dsp.wasm
 * (crate/src/finish.rs): `S = (max(L, max - 8) + 4) / 4`, with `normalize` `(S - mean) * (1 / std)`
 * (std with N - 1; a constant spectrogram, std 0, gives S - mean), float64 inside. The sums live here
 * between calls, in four lanes by position mod 4, so they do not depend on the block sizes.
 */
/** The finish, plus the extractor's own whole-signal end: apply and transpose to mel-major at once. */
export interface WasmLogMelFinish extends FeatureFinish {
  /**
   * `apply` of frame-major `frames` (`nMels` values per frame) written mel-major into `target`
   * (`[nMels][frames]`), in dsp.wasm; `frames` is left as it was.
   */
  applyTransposed(frames: Float32Array, nMels: number, target: Float32Array): void;
}

export function wasmLogMelFinish(
  dsp: DspInstance,
  id: string,
  max: number,
  normalize: boolean,
): WasmLogMelFinish {
  const ex = dsp.exports;
  const floor = max - 8;
  const shift = (max + 4) / 4 - 1;
  const sums = new Float64Array(8);
  let count = 0;
  let mean = 0;
  let inv = 1;
  let ready = !normalize;
  const fail = (code: number, context: string): never => {
    const error = dspError(code, 'EXTRACTOR');
    throw new SpgExtractorError(error.code, `${id}: ${context}: ${error.message}`, id);
  };
  /** Copies `block` into dsp.wasm; returns the pointer. */
  const put = (block: Float32Array): number => {
    const ptr = ex.finish_values_ptr(block.length) >>> 0;
    if (ptr === 0) fail(ex.last_error(), `sizing the finish buffer for ${block.length} values`);
    dsp.f32(ptr, block.length).set(block);
    return ptr;
  };
  const scan = (frames: Float32Array) => {
    for (let i = 0; i < frames.length; i += BLOCK) {
      const block = frames.subarray(i, i + BLOCK);
      put(block);
      const at = ex.finish_sums_ptr() >>> 0;
      new Float64Array(ex.memory.buffer, at, 8).set(sums);
      const status = ex.finish_scan(block.length, floor, shift, count % 4);
      if (status !== 0) fail(status, 'scanning raw values');
      sums.set(new Float64Array(ex.memory.buffer, at, 8));
      count += block.length;
    }
  };
  /** Mean and 1 / std from the sums, once (after every scan). */
  const prepare = () => {
    if (ready) return;
    ready = true;
    const sum = sums[0]! + sums[1]! + sums[2]! + sums[3]!;
    const squares = sums[4]! + sums[5]! + sums[6]! + sums[7]!;
    if (count > 0) mean = shift + sum / count;
    const variance = count > 1 ? (squares - (sum * sum) / count) / (count - 1) : 0;
    const std = variance > 0 ? Math.sqrt(variance) : 0;
    // A constant spectrogram (std 0) stays finite: S - mean.
    if (std > 0) inv = 1 / std;
  };
  return {
    ...(normalize && { scan }),
    apply(frames) {
      prepare();
      for (let i = 0; i < frames.length; i += BLOCK) {
        const block = frames.subarray(i, i + BLOCK);
        const ptr = put(block);
        const status = ex.finish_apply(block.length, floor, mean, inv);
        if (status !== 0) fail(status, 'finishing raw values');
        block.set(dsp.f32(ptr, block.length));
      }
    },
    applyTransposed(frames, nMels, target) {
      prepare();
      const total = frames.length / nMels;
      // Blocks of whole frames.
      const step = Math.max(1, Math.floor(BLOCK / nMels)) * nMels;
      for (let i = 0; i < frames.length; i += step) {
        const block = frames.subarray(i, i + step);
        put(block);
        const status = ex.finish_apply_transposed(block.length, nMels, floor, mean, inv);
        if (status !== 0) fail(status, 'finishing raw values');
        const count = block.length / nMels;
        const first = i / nMels;
        // Read after the call: sizing the output may have grown (and so replaced) wasm memory.
        const out = dsp.f32(ex.finish_out_ptr() >>> 0, block.length);
        for (let m = 0; m < nMels; m++)
          target.set(out.subarray(m * count, (m + 1) * count), m * total + first);
      }
    },
  };
}

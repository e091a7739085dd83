// The file-wide finish runs with SIMD in dsp.wasm (f64x2 lanes, 4x4 register transposes in tiles of
// frames); here it is recomputed from the stream's raw frames with plain float64 JavaScript (floor at
// max - 8, S = (L + 4) / 4, sums of S - shift in four lanes by position mod 4, std with N - 1), and
// extract() must equal it bit for bit, for mel counts and frame counts that are and are not multiples
// of the SIMD widths and tiles (a wrong transpose, tail or formula shows up here; that the lane sums
// do not depend on block cuts is the crate's own unit test).
import { wasmMelExtractor } from '@spgdataset/dsp-wasm';
import { describe, expect, it } from 'vitest';
import { testSignal } from './reference-log-mel';

/** Mel-major finished values of frame-major `raw` (`nMels` per frame), float64 scalar arithmetic. */
function finishInJs(raw: Float32Array, nMels: number, normalize: boolean): Float32Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const l of raw) if (l > max) max = l;
  max = Math.fround(max);
  const floor = max - 8;
  const shift = (max + 4) / 4 - 1;
  // biome-ignore lint/complexity/useMathMinMax: the crate's comparison (NaN takes the floor), not Math.max
  const s = (l: number) => ((l > floor ? l : floor) + 4) * 0.25;
  let mean = 0;
  let inv = 1;
  if (normalize) {
    const sums = [0, 0, 0, 0];
    const squares = [0, 0, 0, 0];
    for (let i = 0; i < raw.length; i++) {
      const d = s(raw[i]!) - shift;
      sums[i % 4]! += d;
      squares[i % 4]! += d * d;
    }
    const sum = sums[0]! + sums[1]! + sums[2]! + sums[3]!;
    const sq = squares[0]! + squares[1]! + squares[2]! + squares[3]!;
    const count = raw.length;
    if (count > 0) mean = shift + sum / count;
    const variance = count > 1 ? (sq - (sum * sum) / count) / (count - 1) : 0;
    const std = variance > 0 ? Math.sqrt(variance) : 0;
    if (std > 0) inv = 1 / std;
  }
  const frames = raw.length / nMels;
  const out = new Float32Array(raw.length);
  for (let f = 0; f < frames; f++) {
    for (let m = 0; m < nMels; m++) out[m * frames + f] = (s(raw[f * nMels + m]!) - mean) * inv;
  }
  return out;
}

describe('dsp.wasm finish (SIMD)', () => {
  const cases = [
    { nMels: 80, normalize: true, samples: 16000 * 7 + 1234 },
    { nMels: 13, normalize: true, samples: 16000 * 3 + 17 },
    { nMels: 63, normalize: false, samples: 16000 * 2 + 999 },
    { nMels: 80, normalize: true, samples: 16000 * 60 + 480 },
  ];
  for (const { nMels, normalize, samples } of cases) {
    it(`extract() equals the float64 JavaScript finish of the raw frames (nMels ${nMels}, normalize ${normalize}, ${samples} samples)`, async () => {
      const extractor = await wasmMelExtractor({
        sampleRate: 16000,
        nFft: 400,
        hopLength: 160,
        nMels,
        normalize,
      });
      const signal = testSignal('chirp', samples, 16000);
      const stream = extractor.stream!();
      const raw = new Float32Array(nMels * Math.floor(samples / 160));
      let at = 0;
      // Odd push sizes: the raw frames do not depend on how the signal is cut.
      for (let i = 0; i < samples; i += 12_345) {
        const frames = stream.push(signal.subarray(i, i + 12_345));
        raw.set(frames, at);
        at += frames.length;
      }
      raw.set(stream.end(), at);
      stream.finish();
      const got = extractor.extract(signal).data;
      const want = finishInJs(raw, nMels, normalize);
      expect(got.length).toBe(want.length);
      expect(new Uint32Array(got.buffer, got.byteOffset, got.length)).toEqual(new Uint32Array(want.buffer));
    });
  }
});

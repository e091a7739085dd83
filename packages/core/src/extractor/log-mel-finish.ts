import type { FeatureFinish } from '../contracts/feature-extractor';

/**
 * The file-wide end of a log-mel spectrogram (docs/behaviour.md#spectrogram, steps 7 and 8), applied
 * to raw values `L = log10(max(mel, 1e-10))` once the stream has ended and their maximum `max` is
 * known: `S = (max(L, max - 8) + 4) / 4`, then with `normalize` `(S - mean(S)) / std(S)` (std with
 * N - 1; a constant spectrogram, std 0, gives S - mean). Float64 arithmetic, one float32 rounding at
 * the end. Shared by the dsp-js and dsp-wasm extractors so both finish identically; a change here
 * changes both extractors' output values (bump both numerics versions).
 *
 * The statistics come from one `scan` over every value: the sum and the sum of squares of
 * `d = S - shift`, with `shift` the middle of the range S can take (`(max + 4) / 4 - 1`), so
 * |d| <= 1 and `(sum(d^2) - sum(d)^2 / N) / (N - 1)` loses nothing to cancellation. Values are summed
 * one by one in order, so the result does not depend on how the scan was cut into blocks.
 *
 * @example
 * const finish = logMelFinish(maxOfRawValues, true);
 * for (const block of rawBlocks) finish.scan!(block);
 * for (const block of rawBlocks) finish.apply(block);
 */
export function logMelFinish(max: number, normalize: boolean): FeatureFinish {
  const floor = max - 8;
  if (!normalize) {
    return {
      apply(frames) {
        const f = floor;
        for (let i = 0; i < frames.length; i++) frames[i] = (Math.max(frames[i]!, f) + 4) / 4;
      },
    };
  }
  const shift = (max + 4) / 4 - 1;
  let count = 0;
  let sum = 0;
  let squares = 0;
  let mean = 0;
  let divisor = 1;
  let ready = false;
  return {
    scan(frames) {
      // Locals, not the closure's variables, in the loop: V8 keeps them in registers (3-4x faster).
      let s = sum;
      let q = squares;
      const f = floor;
      const c = shift;
      for (let i = 0; i < frames.length; i++) {
        const d = (Math.max(frames[i]!, f) + 4) / 4 - c;
        s += d;
        q += d * d;
      }
      sum = s;
      squares = q;
      count += frames.length;
    },
    apply(frames) {
      if (!ready) {
        ready = true;
        if (count > 0) mean = shift + sum / count;
        const variance = count > 1 ? (squares - (sum * sum) / count) / (count - 1) : 0;
        const std = variance > 0 ? Math.sqrt(variance) : 0;
        // A constant spectrogram (std 0) stays finite: S - mean.
        if (std > 0) divisor = std;
      }
      const f = floor;
      const m = mean;
      const d = divisor;
      for (let i = 0; i < frames.length; i++) frames[i] = ((Math.max(frames[i]!, f) + 4) / 4 - m) / d;
    },
  };
}

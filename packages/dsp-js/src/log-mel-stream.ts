import { type FeatureFinish, type FeatureStream, logMelFinish, SpgExtractorError } from '@spgdataset/core';
import type { LogMelPlan } from './log-mel-plan';

const LOG10_FLOOR = 1e-10;

/**
 * One signal's log-mel, fed in chunks (docs/behaviour.md#spectrogram, steps 5-6 per frame; steps 7-8
 * by `finish()`): frame `t` covers samples `[t * hop - nFft/2, t * hop + nFft - nFft/2)`, centred,
 * reflect-padded about the first and last samples (torch `pad_mode='reflect'`). A frame is computed
 * as soon as every sample it reads has arrived; the frames whose window reaches past the end wait for
 * `end()`, which knows where the signal stops. Only the samples later frames read are kept, so memory
 * stays at about nFft samples plus one chunk whatever the signal's length, and the values do not
 * depend on the chunking (each frame is computed from the same samples by the same operations).
 * Raw values are `log10(max(mel, 1e-10))` in float64, stored as float32 frame-major.
 */
export class LogMelStream implements FeatureStream {
  readonly #plan: LogMelPlan;
  readonly #id: string;
  /** Samples kept: absolute indices `[#start, #start + #length)` at `#samples[0 ..]`. */
  #samples = new Float32Array(0);
  #start = 0;
  #length = 0;
  /** Samples received so far (the signal's length once ended). */
  #received = 0;
  /** Next frame to compute. */
  #next = 0;
  #max = Number.NEGATIVE_INFINITY;
  #ended = false;
  #finished = false;
  /** Output of the last call (frame-major), reused. */
  #out = new Float32Array(0);

  constructor(plan: LogMelPlan, id: string) {
    this.#plan = plan;
    this.#id = id;
  }

  push(samples: Float32Array): Float32Array {
    this.#checkOpen('push');
    this.#append(samples);
    const { nFft, hopLength } = this.#plan.params;
    const pad = Math.floor(nFft / 2);
    // Frame t is complete when its last sample t * hop - pad + nFft - 1 has arrived, and (for the
    // first frames) the samples up to nFft / 2 that the reflection at the start reads.
    const complete = this.#received + pad - nFft;
    const last = complete < 0 || this.#received <= pad ? -1 : Math.floor(complete / hopLength);
    return this.#compute(last + 1, this.#received);
  }

  end(): Float32Array {
    this.#checkOpen('end');
    this.#ended = true;
    const { nFft, hopLength } = this.#plan.params;
    const n = this.#received;
    const frames = Math.floor(n / hopLength);
    const pad = Math.floor(nFft / 2);
    if (frames > 0 && n <= pad) {
      throw new SpgExtractorError(
        'SPG_EXTRACTOR_INPUT_TOO_SHORT',
        `${this.#id}: input of ${n} samples gives ${frames} frame(s) but the reflect padding of nFft / 2 = ${pad} ` +
          `needs more than ${pad} samples (torch.stft refuses it too); pad the input to at least ${pad + 1} samples.`,
        this.#id,
      );
    }
    return this.#compute(frames, n);
  }

  observe(frames: Float32Array): void {
    this.#checkOpen('observe');
    let max = this.#max;
    for (let i = 0; i < frames.length; i++) if (frames[i]! > max) max = frames[i]!;
    this.#max = max;
  }

  finish(): FeatureFinish {
    if (!this.#ended) {
      throw new SpgExtractorError(
        'SPG_EXTRACTOR_STREAM_OPEN',
        `${this.#id}: finish() before end(); end the stream first`,
        this.#id,
      );
    }
    if (this.#finished) {
      throw new SpgExtractorError(
        'SPG_EXTRACTOR_STREAM_ENDED',
        `${this.#id}: finish() called twice; start a new stream() for the next signal`,
        this.#id,
      );
    }
    this.#finished = true;
    return logMelFinish(this.#max, this.#plan.params.normalize);
  }

  #checkOpen(method: string): void {
    if (this.#ended) {
      throw new SpgExtractorError(
        'SPG_EXTRACTOR_STREAM_ENDED',
        `${this.#id}: ${method}() after end(); start a new stream() for the next signal`,
        this.#id,
      );
    }
  }

  /** Appends `chunk` after the kept samples (dropping those no later frame reads). */
  #append(chunk: Float32Array): void {
    const { nFft, hopLength } = this.#plan.params;
    const pad = Math.floor(nFft / 2);
    // The next frame reads from next * hop - pad (reflected indices at the start stay below nFft).
    const keepFrom = Math.max(0, this.#next * hopLength - pad);
    const drop = Math.min(this.#length, keepFrom - this.#start);
    const kept = this.#length - drop;
    const need = kept + chunk.length;
    if (need > this.#samples.length) {
      const grown = new Float32Array(Math.max(need, Math.ceil(this.#samples.length * 1.5)));
      grown.set(this.#samples.subarray(drop, this.#length));
      this.#samples = grown;
    } else if (drop > 0) {
      this.#samples.copyWithin(0, drop, this.#length);
    }
    this.#samples.set(chunk, kept);
    this.#start += drop;
    this.#length = need;
    this.#received += chunk.length;
  }

  /** Computes frames `#next .. upTo - 1` of a signal whose samples end (for reflection) at `n`. */
  #compute(upTo: number, n: number): Float32Array {
    const count = Math.max(0, upTo - this.#next);
    const { nFft, hopLength, nMels } = this.#plan.params;
    const { window, spectrum, frame, power } = this.#plan;
    const { start: melStart, end: melEnd, offset, weights } = this.#plan.filterbank;
    const values = count * nMels;
    if (this.#out.length < values) this.#out = new Float32Array(Math.max(values, this.#out.length * 1.5));
    const out = this.#out.subarray(0, values);
    const samples = this.#samples;
    const base = this.#start;
    const pad = Math.floor(nFft / 2);
    let max = this.#max;
    for (let f = 0; f < count; f++) {
      const t = this.#next + f;
      const first = t * hopLength - pad;
      if (first >= 0 && first + nFft <= n) {
        const at = first - base;
        for (let i = 0; i < nFft; i++) frame[i] = samples[at + i]! * window[i]!;
      } else {
        // Edge frame: reflect about the first and last samples.
        for (let i = 0; i < nFft; i++) {
          let j = first + i;
          if (j < 0) j = -j;
          else if (j >= n) j = 2 * (n - 1) - j;
          frame[i] = samples[j - base]! * window[i]!;
        }
      }
      spectrum.compute(frame, power);
      const row = f * nMels;
      for (let m = 0; m < nMels; m++) {
        let energy = 0;
        const w0 = offset[m]! - melStart[m]!;
        for (let k = melStart[m]!, e = melEnd[m]!; k < e; k++) energy += weights[w0 + k]! * power[k]!;
        const value = Math.fround(Math.log10(Math.max(energy, LOG10_FLOOR)));
        out[row + m] = value;
        if (value > max) max = value;
      }
    }
    this.#max = max;
    this.#next += count;
    return out;
  }
}

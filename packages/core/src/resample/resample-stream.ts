import type { ResamplerStream } from '../contracts/resampler';
import { SpgError } from '../errors/spg-error';
import type { ResamplerDesign } from './resampler-design-types';
import { SampleBuffer } from './sample-buffer';
import { type StageRunner, stageRunner } from './stage-runner';

/** Output length for `samples` input samples: round(samples * up / down), as the dataset expects. */
export function resampledLength(samples: number, up: number, down: number): number {
  return Math.round((samples * up) / down);
}

/**
 * Streaming engine over a design's stages (one or two). The input is zero before index 0 and,
 * once `end()` is called, after its last sample. An output is computed as soon as every input it
 * reads is known, by the same float32 operations whatever the chunking, so the concatenated
 * outputs equal one whole-array call bit for bit. Outputs stop at round(n * to / from).
 */
export class ResampleStream implements ResamplerStream {
  readonly #up: number;
  readonly #down: number;
  readonly #runners: StageRunner[];
  /** Input of each stage (stage 0: the signal, with its zero prefix). */
  readonly #inputs: SampleBuffer[];
  /** Next output index of each stage. */
  readonly #next: number[];
  readonly #label: string;
  /** Last-stage outputs in float64 before they are rounded into the caller's float32 array. */
  #scratch = new Float64Array(0);
  #received = 0;
  #ended = false;

  /** `label` names the resampler in errors. */
  constructor(design: ResamplerDesign, label: string) {
    this.#label = label;
    this.#up = design.up;
    this.#down = design.down;
    this.#runners = design.stages.map(stageRunner);
    const count = this.#runners.length;
    this.#next = new Array<number>(count).fill(0);
    // Each stage starts at the first output the next stage reads (the last one starts at 0).
    for (let s = count - 2; s >= 0; s--) this.#next[s] = this.#runners[s + 1]!.firstInput(this.#next[s + 1]!);
    this.#inputs = this.#runners.map((runner, s) => new SampleBuffer(runner.firstInput(this.#next[s]!)));
    const signal = this.#inputs[0]!;
    signal.appendZeros(-signal.start);
  }

  push(chunk: Float32Array): Float32Array {
    this.#checkOpen('push');
    const count = this.#prepare(chunk, false);
    const out = new Float32Array(count);
    this.#finish(count, out, 0);
    return out;
  }

  end(): Float32Array {
    this.#checkOpen('end');
    const count = this.#prepare(undefined, true);
    const out = new Float32Array(count);
    this.#finish(count, out, 0);
    this.#ended = true;
    return out;
  }

  /**
   * `push` (or, when `final`, `push` then `end`) writing into `out` from `at` instead of a new
   * array: the whole-array path. Returns the number of outputs written.
   */
  pushInto(chunk: Float32Array, final: boolean, out: Float32Array, at: number): number {
    this.#checkOpen(final ? 'end' : 'push');
    const count = this.#prepare(chunk, final);
    this.#finish(count, out, at);
    if (final) this.#ended = true;
    return count;
  }

  #checkOpen(method: string): void {
    if (this.#ended) {
      throw new SpgError(
        'SPG_RESAMPLER_STREAM_ENDED',
        `${this.#label}: ${method}() after end(); start a new stream() for the next signal`,
        { resamplerId: this.#label },
      );
    }
  }

  /**
   * Takes `chunk`, zero-extends the signal when `final`, runs every stage but the last as far as
   * its input allows, and returns how many outputs the last stage can now produce.
   */
  #prepare(chunk: Float32Array | undefined, final: boolean): number {
    const signal = this.#inputs[0]!;
    if (chunk) {
      signal.append(chunk);
      this.#received += chunk.length;
    }
    const last = this.#runners.length - 1;
    const cap = resampledLength(this.#received, this.#up, this.#down);
    if (final && cap > this.#next[last]!) {
      // Zeros after the signal, far enough for every stage to reach output cap - 1.
      let needed = cap - 1;
      for (let s = last; s >= 0; s--) needed = this.#runners[s]!.lastInput(needed);
      signal.appendZeros(needed + 1 - signal.end);
    }
    for (let s = 0; s < last; s++) {
      const runner = this.#runners[s]!;
      const input = this.#inputs[s]!;
      const first = this.#next[s]!;
      const count = runner.availableUpTo(input.end - 1) - first;
      if (count > 0) {
        const next = this.#inputs[s + 1]!;
        const at = next.reserve(count); // may reallocate next.data
        runner.run(input.data, input.start, first, count, next.data, at);
        next.commit(count);
        this.#next[s] = first + count;
      }
      input.dropBefore(runner.firstInput(this.#next[s]!));
    }
    const input = this.#inputs[last]!;
    const end = Math.min(this.#runners[last]!.availableUpTo(input.end - 1), cap);
    return Math.max(0, end - this.#next[last]!);
  }

  /** Runs the last stage for `count` outputs into `out` from `at`. */
  #finish(count: number, out: Float32Array, at: number): void {
    const last = this.#runners.length - 1;
    const runner = this.#runners[last]!;
    const input = this.#inputs[last]!;
    const first = this.#next[last]!;
    if (count > 0) {
      if (this.#scratch.length < count) this.#scratch = new Float64Array(count);
      runner.run(input.data, input.start, first, count, this.#scratch, 0);
      out.set(this.#scratch.subarray(0, count), at);
      this.#next[last] = first + count;
    }
    input.dropBefore(runner.firstInput(this.#next[last]!));
  }
}

import type { Tensor } from '../contracts/tensor';
import { SpgConfigError } from '../errors/spg-config-error';
import type { IndexedFile } from './dataset-index';
import type { GenerationStats } from './dataset-report';
import type { DerivedSizes } from './derived-sizes';
import { lengthMismatch } from './length-mismatch';
import {
  type GenerationJob,
  type GeneratorParts,
  loadWaveform,
  spectrogramOfWaveform,
} from './spectrogram-generator';
import { paddedLength } from './windows';

/** A replacement for in-thread generation, e.g. a worker pool's `generate`. */
export type GenerateFunction = (job: GenerationJob) => Promise<Tensor>;

/**
 * Makes the spectrogram of one indexed file, in this thread or through `generate` (a worker pool),
 * and checks what comes back: mel-major `[nMels, frames]`, and not longer than the window grid of
 * the indexed length (more frames mean metadata.json's `length` is too short: warned once).
 */
export class SpectrogramProducer {
  /** How many files may be generated at once (1 in this thread, the pool's size with a pool). */
  readonly concurrency: number;
  readonly #parts: GeneratorParts;
  readonly #sizes: DerivedSizes;
  readonly #generate: GenerateFunction;
  readonly #stats: GenerationStats;
  readonly #warn: (message: string) => void;

  constructor(init: {
    parts: GeneratorParts;
    sizes: DerivedSizes;
    generate: GenerateFunction | undefined;
    concurrency: number;
    stats: GenerationStats;
    warn: (message: string) => void;
  }) {
    this.#parts = init.parts;
    this.#sizes = init.sizes;
    this.#stats = init.stats;
    this.#warn = init.warn;
    this.#generate = init.generate ?? ((job) => this.#generateHere(job));
    this.concurrency = init.generate ? Math.max(1, init.concurrency) : 1;
  }

  get parts(): GeneratorParts {
    return this.#parts;
  }

  async produce(file: IndexedFile): Promise<Tensor> {
    this.#stats.generated++;
    const tensor = await this.#generate({ path: file.path, length: file.length });
    const { extractor } = this.#parts;
    const expected = extractor.params.nMels;
    if (tensor.shape.length !== 2 || tensor.shape[0] !== expected) {
      throw new SpgConfigError([
        {
          path: 'extractor',
          message: `${extractor.id} returned shape [${tensor.shape.join(', ')}] for "${file.path}"; expected [nMels = ${expected}, frames]`,
        },
      ]);
    }
    // The grid is padded to the longer of the two lengths, so more frames mean longer audio.
    const { windowSize, windowOffset, hopLength } = this.#sizes;
    const gridFrames = paddedLength(file.length, windowSize, windowOffset) / hopLength;
    if (tensor.shape[1]! > gridFrames)
      this.#warn(
        `"${file.path}" decodes to more audio than its length ${file.length} in metadata.json (${tensor.shape[1]} frames, not ${gridFrames}); windows beyond that length are not indexed — fix or remove "length".`,
      );
    return tensor;
  }

  /** Whether a cached tensor has the shape the file's kept windows need. */
  fits(tensor: Tensor, file: IndexedFile): boolean {
    const last = file.windows[file.windows.length - 1];
    const needed = last ? last[0] * this.#sizes.spgOffset + this.#sizes.spgLength : 0;
    return (
      tensor.shape.length === 2 &&
      tensor.shape[0] === this.#parts.extractor.params.nMels &&
      tensor.shape[1]! >= needed &&
      tensor.data.length === tensor.shape[0]! * tensor.shape[1]!
    );
  }

  /** In-thread generation; also warns when the audio is shorter than its metadata length. */
  async #generateHere(job: GenerationJob): Promise<Tensor> {
    const waveform = await loadWaveform(this.#parts, job.path);
    if (waveform.length < job.length) {
      const mismatch = lengthMismatch(job.path, job.length, waveform.length, this.#sizes.windowOffset);
      if (mismatch) this.#warn(mismatch);
    }
    return spectrogramOfWaveform(this.#parts, job, waveform);
  }
}

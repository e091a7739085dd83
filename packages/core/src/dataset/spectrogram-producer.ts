import type { EntryWriter } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import type { GenerationPipeline } from '../generation/generation-pipeline';
import { makeSpectrogram } from '../generation/make-spectrogram';
import { type StreamedSpectrogram, streamSpectrogram } from '../generation/stream-spectrogram';
import type { IndexedFile } from './dataset-index';
import type { GenerationStats } from './dataset-report';
import type { DerivedSizes } from './derived-sizes';
import type { GeneratorParts } from './spectrogram-generator';

/**
 * Makes the spectrogram of one indexed file in this thread (`makeSpectrogram`: the same algorithm
 * workers run), counting it and passing its warnings on; and judges whether a cached entry has
 * the shape the file's kept windows need.
 */
export class SpectrogramProducer {
  readonly #parts: GeneratorParts;
  readonly #sizes: DerivedSizes;
  readonly #stats: GenerationStats;
  readonly #warn: (message: string) => void;

  constructor(init: {
    parts: GeneratorParts;
    sizes: DerivedSizes;
    stats: GenerationStats;
    warn: (message: string) => void;
  }) {
    this.#parts = init.parts;
    this.#sizes = init.sizes;
    this.#stats = init.stats;
    this.#warn = init.warn;
  }

  get parts(): GeneratorParts {
    return this.#parts;
  }

  /** The file's spectrogram; with a `pipeline`, borrowed from its buffers (see `makeSpectrogram`). */
  async produce(file: IndexedFile, pipeline?: GenerationPipeline): Promise<Tensor> {
    this.#stats.generated++;
    const { tensor, warnings } = await makeSpectrogram(this.#parts, file, pipeline);
    for (const warning of warnings) this.#warn(warning);
    return tensor;
  }

  /**
   * Streams the file's spectrogram into `writer` (which the caller then commits, or aborts on
   * failure): bounded memory whatever the file's length.
   */
  async produceInto(
    file: IndexedFile,
    writer: EntryWriter,
    pipeline?: GenerationPipeline,
  ): Promise<StreamedSpectrogram> {
    this.#stats.generated++;
    const made = await streamSpectrogram(this.#parts, file, writer, pipeline);
    for (const warning of made.warnings) this.#warn(warning);
    return made;
  }

  /** Whether a cached tensor has the shape the file's kept windows need. */
  fits(tensor: Tensor, file: IndexedFile): boolean {
    return this.shapeFits(tensor.shape, file) && tensor.data.length === tensor.shape[0]! * tensor.shape[1]!;
  }

  /** Whether an entry of `shape` holds every frame the file's kept windows need. */
  shapeFits(shape: readonly number[], file: IndexedFile): boolean {
    return (
      shape.length === 2 &&
      shape[0] === this.#parts.extractor.features.rows &&
      shape[1]! >= this.neededFrames(file)
    );
  }

  /** Frames the file's kept windows reach (the end of its last kept window). */
  neededFrames(file: IndexedFile): number {
    const last = file.windows[file.windows.length - 1];
    return last ? last[0] * this.#sizes.spgOffset + this.#sizes.spgLength : 0;
  }
}

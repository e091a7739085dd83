import type { Tensor } from '../contracts/tensor';
import { makeSpectrogram } from '../generation/make-spectrogram';
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

  async produce(file: IndexedFile): Promise<Tensor> {
    this.#stats.generated++;
    const { tensor, warnings } = await makeSpectrogram(this.#parts, file);
    for (const warning of warnings) this.#warn(warning);
    return tensor;
  }

  /** Whether a cached tensor has the shape the file's kept windows need. */
  fits(tensor: Tensor, file: IndexedFile): boolean {
    const last = file.windows[file.windows.length - 1];
    const needed = last ? last[0] * this.#sizes.spgOffset + this.#sizes.spgLength : 0;
    return (
      tensor.shape.length === 2 &&
      tensor.shape[0] === this.#parts.extractor.features.rows &&
      tensor.shape[1]! >= needed &&
      tensor.data.length === tensor.shape[0]! * tensor.shape[1]!
    );
  }
}

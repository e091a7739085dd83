import type { CacheKey } from '../cache/cache-key';
import type { MemoryCache } from '../cache/memory-cache';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { SpgCacheError } from '../errors/spg-cache-error';
import type { IndexedFile } from './dataset-index';
import type { GenerationStats } from './dataset-report';
import { notBuiltError } from './not-built-error';
import { RecentFiles } from './recent-files';
import { loadWaveform } from './spectrogram-generator';
import type { SpectrogramProducer } from './spectrogram-producer';

/** Decoded waveforms and whole-file spectrograms kept at hand for consecutive items of one file. */
const RECENT_FILES = 2;

/**
 * How items reach a file's data: the whole-file spectrogram from the cache (a damaged or misshapen
 * entry is reported, deleted and regenerated; a missing one is generated and stored) and the
 * decoded waveform (decoded on demand). The last few files are kept; concurrent requests share a load.
 */
export class FileReadPath {
  readonly #files: readonly IndexedFile[];
  readonly #keys: readonly CacheKey[];
  readonly #store: SpectrogramCache | undefined;
  readonly #memory: MemoryCache | undefined;
  readonly #producer: SpectrogramProducer;
  readonly #stats: GenerationStats;
  readonly #warn: (message: string) => void;
  /** Never generate or delete: a missing, misshapen or damaged entry is an error. */
  readonly #readOnly: boolean;
  readonly #spectrograms = new RecentFiles<Tensor>(RECENT_FILES);
  readonly #waveforms = new RecentFiles<Float32Array>(RECENT_FILES);
  readonly #loadSpectrogram = (fi: number) => this.#readOrMake(fi);
  readonly #loadWaveform = (fi: number) => loadWaveform(this.#producer.parts, this.#files[fi]!.path);

  constructor(init: {
    files: readonly IndexedFile[];
    keys: readonly CacheKey[];
    store: SpectrogramCache | undefined;
    /** The memory cache in front of `store`, read synchronously by `spectrogramNow`. */
    memory?: MemoryCache | undefined;
    producer: SpectrogramProducer;
    stats: GenerationStats;
    warn: (message: string) => void;
    readOnly?: boolean;
  }) {
    this.#files = init.files;
    this.#keys = init.keys;
    this.#store = init.store;
    this.#memory = init.memory;
    this.#producer = init.producer;
    this.#stats = init.stats;
    this.#warn = init.warn;
    this.#readOnly = init.readOnly === true;
  }

  /**
   * File `fi`'s spectrogram when it is at hand without waiting (kept from a recent item, or held
   * as float32 by the memory cache), else undefined: items of memory-cached datasets are then made
   * without a promise per file.
   */
  spectrogramNow(fi: number): Tensor | undefined {
    const recent = this.#spectrograms.peek(fi);
    if (recent) return recent;
    const held = this.#memory?.getStored(this.#keys[fi]!);
    return held && this.#producer.fits(held, this.#files[fi]!) ? held : undefined;
  }

  spectrogram(fi: number): Promise<Tensor> {
    return this.#spectrograms.get(fi, this.#loadSpectrogram);
  }

  waveform(fi: number): Promise<Float32Array> {
    return this.#waveforms.get(fi, this.#loadWaveform);
  }

  clear(): void {
    this.#spectrograms.clear();
    this.#waveforms.clear();
  }

  async #readOrMake(fi: number): Promise<Tensor> {
    const file = this.#files[fi]!;
    const key = this.#keys[fi]!;
    const store = this.#store;
    let tensor: Tensor | undefined;
    if (store) {
      try {
        tensor = await store.get(key);
        if (tensor && !this.#producer.fits(tensor, file)) {
          if (this.#readOnly) throw notBuiltError('spectrograms', { missing: [file.path] });
          this.#warn(
            `cache entry of "${file.path}" has shape [${tensor.shape.join(', ')}]; regenerating it.`,
          );
          tensor = undefined;
        }
      } catch (error) {
        if (!SpgCacheError.isInstance(error) || error.code === 'SPG_CACHE_BAD_KEY' || this.#readOnly)
          throw error;
        this.#warn(`cache entry of "${file.path}" is damaged (${error.message}); regenerating it.`);
        this.#stats.regenerated++;
        await store.delete(key).catch(() => false);
      }
    }
    if (!tensor) {
      if (this.#readOnly) throw notBuiltError('spectrograms', { missing: [file.path] });
      tensor = await this.#producer.produce(file);
      if (store) await store.put(key, tensor);
    }
    return tensor;
  }
}

import type { CacheKey } from '../cache/cache-key';
import type { MemoryCache } from '../cache/memory-cache';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { SpgCacheError } from '../errors/spg-cache-error';
import { entryWriterFor } from '../generation/entry-writer-for';
import { AudioWindows } from './audio-windows';
import type { IndexedFile } from './dataset-index';
import type { GenerationStats } from './dataset-report';
import { notBuiltError } from './not-built-error';
import { RecentFiles } from './recent-files';
import { loadWaveform } from './spectrogram-generator';
import type { SpectrogramProducer } from './spectrogram-producer';

/** Decoded waveforms and whole-file spectrograms kept at hand for consecutive items of one file. */
const RECENT_FILES = 2;

/**
 * Entries larger than this (bytes of float32 values) are read window by window (`readWindow`)
 * instead of whole: 32 MiB is about 17 minutes of 80 mels at 100 frames per second. Two whole
 * entries are kept at hand (`RECENT_FILES`), so whole reads cost at most twice this.
 */
export const WINDOW_READ_BYTES = 32 * 2 ** 20;

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
  /** Entries above this many bytes are read window by window (when the cache can). */
  readonly #windowBytes: number;
  /** Long entries being generated (concurrent window reads of a missing entry make it once). */
  readonly #making = new Map<number, Promise<void>>();
  /** Files whose entries are above this many bytes have their audio read window by window. */
  readonly #audioWindowBytes: number;
  readonly #audioWindows: AudioWindows;

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
    /** Entries above this many bytes are read window by window (default `WINDOW_READ_BYTES`). */
    windowBytes?: number;
    /** Whether the persistent cache reads windows (`readWindow`); without one, entries are read whole. */
    windowReads?: boolean;
  }) {
    this.#files = init.files;
    this.#keys = init.keys;
    this.#store = init.store;
    this.#memory = init.memory;
    this.#producer = init.producer;
    this.#stats = init.stats;
    this.#warn = init.warn;
    this.#readOnly = init.readOnly === true;
    // Above the threshold, or above what the memory cache could hold at all.
    const budget = init.memory ? init.memory.maxBytes : Number.POSITIVE_INFINITY;
    const threshold = Math.min(init.windowBytes ?? WINDOW_READ_BYTES, budget);
    // Whatever the cache can do: the audio is read from the source.
    this.#audioWindowBytes = threshold;
    this.#audioWindows = new AudioWindows(init.producer.parts);
    this.#windowBytes = init.windowReads ? threshold : Number.POSITIVE_INFINITY;
  }

  /**
   * Whether file `fi`'s items read their windows from the cache (`window`) rather than the whole
   * entry: its entry is larger than the threshold or the memory budget and the cache can read
   * windows. The entry's size is known from the index (its last kept window's end).
   */
  windowed(fi: number): boolean {
    if (!this.#store?.readWindow || this.#windowBytes === Number.POSITIVE_INFINITY) return false;
    const file = this.#files[fi]!;
    if (this.#spectrograms.peek(fi)) return false;
    return (
      this.#producer.neededFrames(file) * this.#producer.parts.extractor.features.rows * 4 > this.#windowBytes
    );
  }

  /**
   * Columns `[first, first + count)` of file `fi`'s spectrogram as `[rows, count]`, read from the
   * cache without loading the rest of the entry. A missing entry is generated first (streamed into
   * the cache's writer: bounded memory), a damaged one reported, deleted and regenerated.
   */
  async window(fi: number, first: number, count: number): Promise<Tensor> {
    const store = this.#store!;
    const key = this.#keys[fi]!;
    const file = this.#files[fi]!;
    for (let attempt = 0; ; attempt++) {
      let tensor: Tensor | undefined;
      try {
        tensor = await store.readWindow!(key, first, count);
      } catch (error) {
        if (
          !SpgCacheError.isInstance(error) ||
          error.code === 'SPG_CACHE_BAD_KEY' ||
          this.#readOnly ||
          attempt > 0
        )
          throw error;
        this.#warn(`cache entry of "${file.path}" is damaged (${error.message}); regenerating it.`);
        this.#stats.regenerated++;
        await store.delete(key).catch(() => false);
      }
      if (tensor) return tensor;
      if (this.#readOnly) throw notBuiltError('spectrograms', { missing: [file.path] });
      if (attempt > 0)
        throw new SpgCacheError(
          'SPG_CACHE_DECLINED',
          `cache entry of "${file.path}" was generated but cannot be read back (does the cache decline entries this large?).`,
          { key: key.id, operation: 'get' },
        );
      await this.#make(fi);
    }
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

  /**
   * Whether file `fi`'s items read their audio window alone (`audioWindow`) rather than from the
   * whole decoded waveform: its entry is larger than the whole-entry threshold or the memory budget
   * (a long file, whose waveform takes more memory than its entry) and its waveform is not at hand.
   */
  audioWindowed(fi: number): boolean {
    if (this.#waveforms.peek(fi)) return false;
    const file = this.#files[fi]!;
    return (
      this.#producer.neededFrames(file) * this.#producer.parts.extractor.features.rows * 4 >
      this.#audioWindowBytes
    );
  }

  /**
   * Samples `[start, start + length)` of file `fi`'s waveform (zero-padded past its end), the same
   * as `waveform(fi)` gives there, without decoding the whole file into memory where the format
   * allows (see `AudioWindows`).
   */
  audioWindow(fi: number, start: number, length: number): Promise<Float32Array> {
    return this.#audioWindows.read(this.#files[fi]!.path, start, length, () => this.waveform(fi));
  }

  clear(): void {
    this.#spectrograms.clear();
    this.#waveforms.clear();
    void this.#audioWindows.close();
  }

  /** Streams file `fi`'s entry into the cache (once, however many reads wait for it). */
  #make(fi: number): Promise<void> {
    let making = this.#making.get(fi);
    if (!making) {
      const store = this.#store!;
      making = (async () => {
        const writer = await entryWriterFor(
          store,
          this.#keys[fi]!,
          this.#producer.parts.extractor.features.rows,
        );
        try {
          await this.#producer.produceInto(this.#files[fi]!, writer);
        } catch (error) {
          await writer.abort().catch(() => {});
          throw error;
        }
        await writer.commit();
      })().finally(() => this.#making.delete(fi));
      this.#making.set(fi, making);
    }
    return making;
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

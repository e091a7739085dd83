import { type CacheKey, cacheKey } from '../cache/cache-key';
import { layeredCache } from '../cache/layered-cache';
import { MemoryCache } from '../cache/memory-cache';
import type { DatasetParts } from '../contracts/dataset-parts';
import type { Item, ItemLocation } from '../contracts/item';
import type { OutputConfiguration } from '../contracts/output-configuration';
import type { ProgressPhase } from '../contracts/progress';
import type { ReadableDataset } from '../contracts/readable-dataset';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { SpgCacheError } from '../errors/spg-cache-error';
import { SpgConfigError } from '../errors/spg-config-error';
import { fingerprint } from '../fingerprint/fingerprint';
import { type Batch, defaultCollate } from '../loader/default-collate';
import { isAudioPath } from './audio-extensions';
import {
  buildIndex,
  type DatasetIndex,
  type IndexedFile,
  type IndexInputs,
  indexInputsJson,
  readIndex,
} from './dataset-index';
import { type DatasetReport, emptyStats, type GenerationStats } from './dataset-report';
import { type DerivedSizes, deriveSizes } from './derived-sizes';
import { enumerateClasses, labelText, metaFields } from './label-classes';
import { lengthMismatch } from './length-mismatch';
import { LruMap } from './lru-map';
import { maskFrames } from './mask-frames';
import { parseMetadataFile } from './metadata-schema';
import {
  type GenerationJob,
  type GeneratorParts,
  loadWaveform,
  spectrogramOfWaveform,
} from './spectrogram-generator';
import {
  assignSplits,
  fractionSubset,
  modeName,
  type SplitUnit,
  validateMode,
  validateSplit,
} from './split-assignment';
import { SplitModes } from './split-modes';
import { paddedLength } from './windows';

/** How `SpectrogramDataset.open` runs generation. */
export interface SpectrogramDatasetOpenOptions {
  /** Replaces the in-thread per-file generation, e.g. with a worker pool's. */
  generate?: (job: GenerationJob) => Promise<Tensor>;
}

/** Decoded waveforms and whole-file spectrograms kept at hand for consecutive items of one file. */
const RECENT_FILES = 2;

function progressReporter(parts: DatasetParts, phase: ProgressPhase) {
  const started = globalThis.performance?.now() ?? Date.now();
  return (done: number, total: number | undefined, path?: string) => {
    if (!parts.onProgress) return;
    const seconds = ((globalThis.performance?.now() ?? Date.now()) - started) / 1000;
    const rate = seconds > 0 ? done / seconds : undefined;
    parts.onProgress({
      phase,
      done,
      total,
      rate,
      etaSeconds: total !== undefined && rate ? (total - done) / rate : undefined,
      path,
    });
  };
}

async function statAll(parts: DatasetParts, paths: readonly string[]) {
  const out: IndexInputs['files'] = [];
  const batch = 64;
  for (let i = 0; i < paths.length; i += batch) {
    const chunk = paths.slice(i, i + batch);
    const stats = await Promise.all(chunk.map((p) => parts.source.stat(p)));
    for (let j = 0; j < chunk.length; j++) {
      const stat = stats[j]!;
      out.push({ path: chunk[j]!, stat: { size: stat.size, changeToken: stat.changeToken } });
    }
  }
  return out;
}

/**
 * A dataset of fixed-size log-mel spectrogram windows with masks, labels, metadata and audio
 * (SPEC 3-10). Made by `createDataset().build()` or `openSpectrogramDataset(options)`, which call
 * `SpectrogramDataset.open(parts)`.
 *
 * @example
 * const ds = await SpectrogramDataset.open(parts);
 * ds.train();
 * const item = await ds.get(0); // { spectrogram: [nMels, spgLength], masks: { speech: [spgLength] } }
 */
export class SpectrogramDataset extends SplitModes implements ReadableDataset {
  /** Window grid in samples and frames (SPEC 4). */
  readonly sizes: DerivedSizes;
  /** Fingerprint of everything that changes spectrogram values (SPEC 10); part of every cache key. */
  readonly featureFingerprint: string;
  /** Fingerprint of the index inputs; the index is stored under it. */
  readonly indexFingerprint: string;

  readonly #parts: DatasetParts;
  readonly #index: DatasetIndex;
  readonly #generatorParts: GeneratorParts;
  readonly #output: OutputConfiguration;
  readonly #metaFields: string[];
  readonly #classes: string[];
  readonly #fileLabel: Int32Array;
  /** The last map given to `getRelabeled`, and #fileLabel mapped through it; the same per map. */
  #relabelMap: Int32Array | undefined;
  #relabeledFileLabel: Int32Array = new Int32Array(0);
  readonly #relabeledFileLabels = new WeakMap<Int32Array, Int32Array>();
  readonly #keys: CacheKey[];
  readonly #itemFile: Int32Array;
  readonly #itemWindow: Int32Array;
  readonly #itemRatio: Float64Array;
  readonly #itemSplit: Int32Array;
  readonly #store: SpectrogramCache | undefined;
  readonly #memory: MemoryCache | undefined;
  readonly #recentSpectrograms = new LruMap<number, Tensor>(RECENT_FILES);
  readonly #pendingSpectrograms = new Map<number, Promise<Tensor>>();
  readonly #waveforms = new LruMap<number, Float32Array>(RECENT_FILES);
  readonly #pendingWaveforms = new Map<number, Promise<Float32Array>>();
  readonly #stats: GenerationStats;
  readonly #warned = new Set<string>();
  readonly #indexReused: boolean;
  /** The per-file generation step; a worker pool replaces it when `numWorkers > 0`. */
  readonly #generate: (job: GenerationJob) => Promise<Tensor>;
  readonly #concurrency: number;
  #mode = 0;
  #fraction = 1;
  #modeItems: Int32Array = new Int32Array(0);

  private constructor(init: {
    parts: DatasetParts;
    sizes: DerivedSizes;
    featureFingerprint: string;
    indexFingerprint: string;
    index: DatasetIndex;
    indexReused: boolean;
    generatorParts: GeneratorParts;
    store: SpectrogramCache | undefined;
    memory: MemoryCache | undefined;
    stats: GenerationStats;
    generate: ((job: GenerationJob) => Promise<Tensor>) | undefined;
  }) {
    super();
    this.#parts = init.parts;
    this.sizes = init.sizes;
    this.featureFingerprint = init.featureFingerprint;
    this.indexFingerprint = init.indexFingerprint;
    this.#index = init.index;
    this.#indexReused = init.indexReused;
    this.#generatorParts = init.generatorParts;
    this.#store = init.store;
    this.#memory = init.memory;
    this.#stats = init.stats;
    this.#generate = init.generate ?? ((job) => this.#generateHere(job));
    this.#concurrency = init.generate ? Math.max(1, init.parts.numWorkers) : 1;
    const output = init.parts.output;
    this.#output = Object.freeze({
      audio: output.audio,
      spectrogram: output.spectrogram,
      masks: Object.freeze([...output.masks]) as string[],
      meta: Object.freeze([...output.meta]) as string[],
      label: output.label,
    });
    this.#metaFields = metaFields(output.meta, output.label);
    const files = init.index.files;
    this.#keys = files.map((f) =>
      cacheKey({ path: f.path, size: f.size, changeToken: f.changeToken }, init.featureFingerprint),
    );

    // Labels: sorted unique values over all files (SPEC 8).
    const label = output.label;
    const values = label === null ? [] : files.map((f) => f.metadata[label]);
    this.#classes = enumerateClasses(values);
    const classIndex = new Map(this.#classes.map((c, i) => [c, i]));
    this.#fileLabel = Int32Array.from(files, (f) =>
      label === null ? -1 : classIndex.get(labelText(f.metadata[label], f.path, label))!,
    );

    // Items in file order, then window order (SPEC 9).
    const count = files.reduce((n, f) => n + f.windows.length, 0);
    this.#itemFile = new Int32Array(count);
    this.#itemWindow = new Int32Array(count);
    this.#itemRatio = new Float64Array(count);
    let j = 0;
    files.forEach((f, fi) => {
      for (const [window, ratio] of f.windows) {
        this.#itemFile[j] = fi;
        this.#itemWindow[j] = window;
        this.#itemRatio[j] = ratio;
        j++;
      }
    });
    this.#itemSplit = this.#assignSplits();
    this.setMode(0);
  }

  /**
   * Validates the parts, loads or builds the index, generates missing spectrograms and preloads memory.
   * `options.generate` replaces the in-thread `generateSpectrogram` (a worker pool passes its own; up
   * to `numWorkers` files are then generated at once).
   */
  static async open(
    parts: DatasetParts,
    options: SpectrogramDatasetOpenOptions = {},
  ): Promise<SpectrogramDataset> {
    const { extractor, windows, memory, output } = parts;
    const sizes = deriveSizes({
      sampleRate: extractor.params.sampleRate,
      hopLength: extractor.params.hopLength,
      windowSizeSec: windows.windowSizeSec,
      windowOffsetSec: windows.windowOffsetSec,
    });
    const ratio = windows.windowContentRatio;
    if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1))
      throw new SpgConfigError([
        { path: 'windowContentRatio', message: `must be in [0, 1] (got ${JSON.stringify(ratio)})` },
      ]);
    validateSplit(parts.split.split);
    const frames = extractor.frameCount(sizes.windowSize);
    if (frames !== sizes.spgLength) {
      throw new SpgConfigError([
        {
          path: 'extractor',
          message: `${extractor.id} gives ${frames} frames for a window of ${sizes.windowSize} samples, but the window grid needs floor(windowSize / hopLength) = ${sizes.spgLength}`,
        },
      ]);
    }
    const featureFingerprint = fingerprint({
      extractor: extractor.fingerprint(),
      windowSize: sizes.windowSize,
      windowOffset: sizes.windowOffset,
      dtype: memory.dtype,
    });
    const generatorParts: GeneratorParts = {
      source: parts.source,
      decoder: parts.decoder,
      resampler: parts.resampler,
      extractor,
      sampleRate: sizes.sampleRate,
      windowSize: sizes.windowSize,
      windowOffset: sizes.windowOffset,
      dtype: memory.dtype,
    };
    if (parts.numWorkers > 0 && !options.generate)
      parts.logger.info(
        `numWorkers ${parts.numWorkers}: no worker pool was given; generating in this thread.`,
      );

    // Caches: memory (bounded) in front of the optional persistent cache.
    const memoryCache =
      memory.maxMemoryCache > 0
        ? new MemoryCache({ maxBytes: Math.floor(memory.maxMemoryCache * 2 ** 20), dtype: memory.dtype })
        : undefined;
    const store = memoryCache ? layeredCache(memoryCache, parts.cache) : parts.cache;
    const stats = emptyStats();
    // Memory-only caching: once memory declines an entry, the rest is generated on demand.
    let memoryFull = false;
    const generatedWhileIndexing = new Set<string>();

    // Scan (SPEC 5): audio by extension, sorted by relative path.
    const listedPaths = (await parts.source.list()).slice().sort();
    const audio = listedPaths.filter(isAudioPath);
    const nonAudio = listedPaths.filter((p) => !isAudioPath(p));
    const metadataBytes = parts.metadata ? await parts.metadata.read() : null;
    const splitKey =
      parts.split.splitBy === 'file' || parts.split.splitBy === 'window' ? null : parts.split.splitBy;
    const inputs: IndexInputs = {
      files: await statAll(parts, audio),
      nonAudio,
      metadata: metadataBytes ? fingerprint({ text: new TextDecoder().decode(metadataBytes) }) : null,
      sizes,
      windowContentRatio: ratio,
      output,
      splitKey,
      onError: parts.onError,
    };
    const indexFingerprint = fingerprint(indexInputsJson(inputs));

    let index: DatasetIndex | undefined;
    if (parts.indexStore) {
      const stored = await parts.indexStore.load(indexFingerprint);
      index = readIndex(stored);
      if (stored !== undefined && !index)
        parts.logger.warn(
          `index ${indexFingerprint} under the index store is damaged or outdated; rebuilding it.`,
        );
    }
    const indexReused = index !== undefined;
    if (!index) {
      const metadata =
        metadataBytes && parts.metadata ? parseMetadataFile(metadataBytes, parts.metadata.name) : null;
      const indexProgress = progressReporter(parts, 'index');
      index = await buildIndex({
        inputs,
        metadata,
        metadataName: parts.metadata?.name ?? null,
        measure: async (path, needLength) => {
          if (needLength) stats.lengthsMeasured++;
          return loadWaveform(generatorParts, path);
        },
        // A file decoded to measure its length gets its spectrogram now rather than being decoded twice.
        afterFile: async (file, waveform) => {
          if (!waveform || !store || !output.spectrogram || file.windows.length === 0 || memoryFull) return;
          const key = cacheKey(file, featureFingerprint);
          if (await store.has(key)) return;
          await store.put(key, spectrogramOfWaveform(generatorParts, file, waveform));
          stats.generated++;
          generatedWhileIndexing.add(file.path);
          if (!parts.cache && !(await store.has(key))) memoryFull = true;
        },
        onFileDone: (path, done, total) => indexProgress(done, total, path),
      });
      if (parts.indexStore) await parts.indexStore.save(indexFingerprint, index as never);
    }
    for (const warning of index.warnings) parts.logger.warn(warning);
    if (index.nonAudio.length)
      parts.logger.info(
        `skipped ${index.nonAudio.length} non-audio file${index.nonAudio.length === 1 ? '' : 's'}: ${index.nonAudio.slice(0, 5).join(', ')}${index.nonAudio.length > 5 ? ', ...' : ''}`,
      );

    const dataset = new SpectrogramDataset({
      parts,
      sizes,
      featureFingerprint,
      indexFingerprint,
      index,
      indexReused,
      generatorParts,
      store,
      memory: memoryCache,
      stats,
      generate: options.generate,
    });
    await dataset.#prepare(memoryFull, generatedWhileIndexing);
    return dataset;
  }

  /** Generates every missing spectrogram (SPEC 7), then preloads the memory cache within its budget. */
  async #prepare(memoryFull: boolean, generatedWhileIndexing: ReadonlySet<string>): Promise<void> {
    const files = this.#index.files;
    const parts = this.#parts;
    if (!this.#output.spectrogram || !this.#store || (memoryFull && !parts.cache)) return;
    const needed = files.map((_, i) => i).filter((i) => files[i]!.windows.length > 0);
    const report = progressReporter(parts, 'generate');
    let done = 0;
    let next = 0;
    let stop = false;
    // One runner per worker (one without workers): generation jobs overlap only when a pool runs them.
    const runner = async () => {
      while (!stop && next < needed.length) {
        const fi = needed[next++]!;
        const file = files[fi]!;
        const key = this.#keys[fi]!;
        if (await this.#store!.has(key)) {
          if (!generatedWhileIndexing.has(file.path)) this.#stats.cached++;
        } else {
          await this.#store!.put(key, await this.#generateFile(file));
          // Memory only (no persistent cache): once memory declines an entry, the rest is made on demand.
          if (!parts.cache && !(await this.#store!.has(key))) stop = true;
        }
        report(++done, needed.length, file.path);
      }
    };
    const runners = Math.max(1, Math.min(this.#concurrency, needed.length));
    await Promise.all(Array.from({ length: runners }, runner));
    if (this.#memory && parts.cache) {
      await this.#memory.preload(
        parts.cache,
        needed.map((i) => this.#keys[i]!),
        { onProgress: parts.onProgress },
      );
    }
  }

  /** In-thread generation; also warns when the audio is shorter than its metadata length (SPEC 5). */
  async #generateHere(job: GenerationJob): Promise<Tensor> {
    const waveform = await loadWaveform(this.#generatorParts, job.path);
    if (waveform.length < job.length) {
      const mismatch = lengthMismatch(job.path, job.length, waveform.length, this.sizes.windowOffset);
      if (mismatch) this.#warnOnce(mismatch);
    }
    return spectrogramOfWaveform(this.#generatorParts, job, waveform);
  }

  async #generateFile(file: IndexedFile): Promise<Tensor> {
    this.#stats.generated++;
    const tensor = await this.#generate({ path: file.path, length: file.length });
    const expected = this.#generatorParts.extractor.params.nMels;
    if (tensor.shape.length !== 2 || tensor.shape[0] !== expected) {
      throw new SpgConfigError([
        {
          path: 'extractor',
          message: `${this.#generatorParts.extractor.id} returned shape [${tensor.shape.join(', ')}] for "${file.path}"; expected [nMels = ${expected}, frames]`,
        },
      ]);
    }
    // The grid is padded to the longer of the two lengths, so more frames mean longer audio.
    const gridFrames =
      paddedLength(file.length, this.sizes.windowSize, this.sizes.windowOffset) / this.sizes.hopLength;
    if (tensor.shape[1]! > gridFrames)
      this.#warnOnce(
        `"${file.path}" decodes to more audio than its length ${file.length} in metadata.json (${tensor.shape[1]} frames, not ${gridFrames}); windows beyond that length are not indexed — fix or remove "length".`,
      );
    return tensor;
  }

  #assignSplits(): Int32Array {
    const { split, seed, splitBy } = this.#parts.split;
    const files = this.#index.files;
    const itemSplit = new Int32Array(this.#itemFile.length);
    if (split.length === 1) return itemSplit;
    if (splitBy === 'window') {
      const units: SplitUnit[] = Array.from(this.#itemFile, (fi, j) => ({
        key: `${files[fi]!.path}#${this.#itemWindow[j]}`,
        size: 1,
      }));
      itemSplit.set(assignSplits(units, split, seed));
    } else {
      // Group files: by path ('file') or by a metadata value; all windows of a group share one split.
      const groupOf = files.map((f) =>
        splitBy === 'file' ? `file:${f.path}` : `meta:${JSON.stringify(f.metadata[splitBy])}`,
      );
      const sizes = new Map<string, number>();
      files.forEach((f, fi) => {
        sizes.set(groupOf[fi]!, (sizes.get(groupOf[fi]!) ?? 0) + f.windows.length);
      });
      const units = [...sizes].map(([key, size]) => ({ key, size }));
      const assigned = assignSplits(units, split, seed);
      const splitOfGroup = new Map(units.map((u, i) => [u.key, assigned[i]!]));
      for (let j = 0; j < itemSplit.length; j++)
        itemSplit[j] = splitOfGroup.get(groupOf[this.#itemFile[j]!]!)!;
    }
    split.forEach((ratio, k) => {
      if (ratio > 0 && !itemSplit.includes(k))
        this.#warnOnce(
          `split part ${k} (${modeName(k)}) is empty: ${this.#itemFile.length} items in ${new Set(itemSplit).size} groups cannot give it ${ratio} of the items when grouped by ${splitBy}`,
        );
    });
    return itemSplit;
  }

  #warnOnce(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    this.#parts.logger.warn(message);
  }

  /** Items of the current mode. */
  get length(): number {
    return this.#modeItems.length;
  }

  /** Label classes: sorted unique values of the label field over all files (empty without a label). */
  get classes(): readonly string[] {
    return this.#classes;
  }

  /** What every item carries. */
  get outputConfiguration(): OutputConfiguration {
    return this.#output;
  }

  /** The current mode (split part) and fraction. */
  get mode(): { mode: number; fraction: number } {
    return { mode: this.#mode, fraction: this.#fraction };
  }

  /** Selects split part `mode` (0 train, 1 validate, 2 test) and optionally a deterministic fraction of it. */
  setMode(mode: number, fraction = 1): void {
    validateMode(mode, this.#parts.split.split, fraction);
    const ids: number[] = [];
    for (let j = 0; j < this.#itemSplit.length; j++) if (this.#itemSplit[j] === mode) ids.push(j);
    this.#modeItems = fractionSubset(Int32Array.from(ids), fraction, this.#parts.split.seed);
    this.#mode = mode;
    this.#fraction = fraction;
  }

  #globalItem(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.#modeItems.length) {
      throw new RangeError(
        `item index ${index} is out of range: the current mode (${modeName(this.#mode)}) has ${this.#modeItems.length} items, so use a whole number in [0, ${this.#modeItems.length - 1}]`,
      );
    }
    return this.#modeItems[index]!;
  }

  /** Where item `index` of the current mode comes from (SPEC 3). */
  locate(index: number): ItemLocation {
    const j = this.#globalItem(index);
    const window = this.#itemWindow[j]!;
    return {
      path: this.#index.files[this.#itemFile[j]!]!.path,
      window,
      startSample: window * this.sizes.windowOffset,
      contentRatio: this.#itemRatio[j]!,
    };
  }

  /** Item `index` of the current mode (SPEC 8). */
  get(index: number): Promise<Item> {
    return this.#item(index, this.#fileLabel);
  }

  /**
   * Item `index` with its label mapped through `labelMap` (one entry per class), for routers. The
   * per-file labels composed with a map are kept per map object (the last one checked first), so a
   * router's get reads no more memory than a direct get, also when the dataset sits in several
   * routers; pass the same, unchanging map each time.
   */
  getRelabeled(index: number, labelMap: Int32Array): Promise<Item> {
    if (labelMap !== this.#relabelMap) {
      let fileLabel = this.#relabeledFileLabels.get(labelMap);
      if (fileLabel === undefined) {
        if (labelMap.length !== this.#classes.length) {
          return Promise.reject(
            new RangeError(
              `label map has ${labelMap.length} entries; this dataset has ${this.#classes.length} classes, so give one per class`,
            ),
          );
        }
        fileLabel = this.#fileLabel.map((label) => labelMap[label]!);
        this.#relabeledFileLabels.set(labelMap, fileLabel);
      }
      this.#relabeledFileLabel = fileLabel;
      this.#relabelMap = labelMap;
    }
    return this.#item(index, this.#relabeledFileLabel);
  }

  /** Item `index`, labelled from `fileLabel` (per file: its label). */
  async #item(index: number, fileLabel: Int32Array): Promise<Item> {
    const j = this.#globalItem(index);
    const fi = this.#itemFile[j]!;
    const file = this.#index.files[fi]!;
    const { windowSize, windowOffset, spgLength, hopLength } = this.sizes;
    const start = this.#itemWindow[j]! * windowOffset;
    const item: Item = {};
    const [spectrogram, waveform] = await Promise.all([
      this.#output.spectrogram ? this.#spectrogram(fi) : undefined,
      this.#output.audio ? this.#waveform(fi) : undefined,
    ]);
    if (spectrogram) {
      const nMels = spectrogram.shape[0]!;
      const data = new Float32Array(nMels * spgLength);
      this.#copyWindow(spectrogram, j, data, 0);
      item.spectrogram = { data, shape: [nMels, spgLength] };
    }
    if (waveform) {
      const data = new Float32Array(windowSize);
      data.set(waveform.subarray(start, Math.min(waveform.length, start + windowSize)));
      item.audio = { data, shape: [windowSize] };
    }
    if (this.#output.masks.length) {
      item.masks = {};
      for (const name of this.#output.masks) {
        const data = maskFrames({
          intervals: file.intervals[name]!,
          start,
          windowSize,
          hopLength,
          length: file.length,
          spgLength,
        });
        item.masks[name] = { data, shape: [spgLength] };
      }
    }
    if (this.#output.label !== null) item.label = fileLabel[fi]!;
    if (this.#output.meta.length) {
      const meta: Record<string, unknown> = {};
      for (const field of this.#metaFields) meta[field] = file.metadata[field];
      item.meta = meta;
    }
    return item;
  }

  /**
   * The items `indices` as `defaultCollate` would stack them, reading each window straight from the
   * cached spectrogram into the batch (one copy, no per-item arrays). The DataLoader uses it when
   * its collate is the default one. With `audio` requested it collates `get()` items.
   */
  async getBatch(indices: readonly number[]): Promise<Batch> {
    const items = indices.map((index) => this.#globalItem(index));
    if (this.#output.audio || items.length === 0)
      return defaultCollate(await Promise.all(indices.map((index) => this.get(index))));
    const { spgLength, windowOffset, windowSize, hopLength } = this.sizes;
    const n = items.length;
    const batch: Batch = {};
    if (this.#output.spectrogram) {
      const tensors = await Promise.all(items.map((j) => this.#spectrogram(this.#itemFile[j]!)));
      const nMels = tensors[0]!.shape[0]!;
      const data = new Float32Array(n * nMels * spgLength);
      for (let b = 0; b < n; b++) this.#copyWindow(tensors[b]!, items[b]!, data, b * nMels * spgLength);
      batch.spectrogram = { data, shape: [n, 1, nMels, spgLength] };
    }
    if (this.#output.masks.length) {
      batch.masks = {};
      for (const name of this.#output.masks) {
        const data = new Float32Array(n * spgLength);
        for (let b = 0; b < n; b++) {
          const file = this.#index.files[this.#itemFile[items[b]!]!]!;
          const start = this.#itemWindow[items[b]!]! * windowOffset;
          const length = file.length;
          data.set(
            maskFrames({ intervals: file.intervals[name]!, start, windowSize, hopLength, length, spgLength }),
            b * spgLength,
          );
        }
        batch.masks[name] = { data, shape: [n, spgLength] };
      }
    }
    if (this.#output.label !== null)
      batch.label = Int32Array.from(items, (j) => this.#fileLabel[this.#itemFile[j]!]!);
    if (this.#output.meta.length) {
      batch.meta = {};
      for (const field of this.#metaFields)
        batch.meta[field] = items.map((j) => this.#index.files[this.#itemFile[j]!]!.metadata[field]);
    }
    return batch;
  }

  /** Copies item `j`'s window (spgLength columns of every mel row) into `target` at `offset`. */
  #copyWindow(spectrogram: Tensor, j: number, target: Float32Array, offset: number): void {
    const [nMels, frames] = spectrogram.shape as [number, number];
    const { spgLength, spgOffset } = this.sizes;
    const first = this.#itemWindow[j]! * spgOffset;
    const width = Math.max(0, Math.min(spgLength, frames - first));
    for (let m = 0; m < nMels; m++) {
      const from = m * frames + first;
      target.set(spectrogram.data.subarray(from, from + width), offset + m * spgLength);
    }
  }

  async #spectrogram(fi: number): Promise<Tensor> {
    const recent = this.#recentSpectrograms.get(fi);
    if (recent) return recent;
    let pending = this.#pendingSpectrograms.get(fi);
    if (!pending) {
      pending = this.#loadSpectrogram(fi).finally(() => this.#pendingSpectrograms.delete(fi));
      this.#pendingSpectrograms.set(fi, pending);
    }
    return pending;
  }

  async #loadSpectrogram(fi: number): Promise<Tensor> {
    const file = this.#index.files[fi]!;
    const key = this.#keys[fi]!;
    let tensor: Tensor | undefined;
    if (this.#store) {
      try {
        tensor = await this.#store.get(key);
        if (tensor && !this.#fits(tensor, file)) {
          this.#warnOnce(
            `cache entry of "${file.path}" has shape [${tensor.shape.join(', ')}]; regenerating it.`,
          );
          tensor = undefined;
        }
      } catch (error) {
        if (!SpgCacheError.isInstance(error) || error.code === 'SPG_CACHE_BAD_KEY') throw error;
        this.#warnOnce(`cache entry of "${file.path}" is damaged (${error.message}); regenerating it.`);
        this.#stats.regenerated++;
        await this.#store.delete(key).catch(() => false);
      }
    }
    if (!tensor) {
      tensor = await this.#generateFile(file);
      if (this.#store) await this.#store.put(key, tensor);
    }
    this.#recentSpectrograms.set(fi, tensor);
    return tensor;
  }

  #fits(tensor: Tensor, file: IndexedFile): boolean {
    const last = file.windows[file.windows.length - 1];
    const needed = last ? last[0] * this.sizes.spgOffset + this.sizes.spgLength : 0;
    return (
      tensor.shape.length === 2 &&
      tensor.shape[0] === this.#generatorParts.extractor.params.nMels &&
      tensor.shape[1]! >= needed &&
      tensor.data.length === tensor.shape[0]! * tensor.shape[1]!
    );
  }

  /** The decoded, resampled waveform of a file, decoded on demand; only the last few are kept. */
  async #waveform(fi: number): Promise<Float32Array> {
    const recent = this.#waveforms.get(fi);
    if (recent) return recent;
    let pending = this.#pendingWaveforms.get(fi);
    if (!pending) {
      pending = loadWaveform(this.#generatorParts, this.#index.files[fi]!.path)
        .then((w) => {
          this.#waveforms.set(fi, w);
          return w;
        })
        .finally(() => this.#pendingWaveforms.delete(fi));
      this.#pendingWaveforms.set(fi, pending);
    }
    return pending;
  }

  /** What was indexed, skipped, generated and reused, and the items per split part. */
  report(): DatasetReport {
    const splitItems = this.#parts.split.split.map(() => 0);
    for (const k of this.#itemSplit) splitItems[k]!++;
    return {
      files: this.#index.files.length,
      items: this.#itemFile.length,
      classes: [...this.#classes],
      splitItems,
      mode: this.#mode,
      fraction: this.#fraction,
      modeItems: this.#modeItems.length,
      skipped: this.#index.skipped.map((s) => ({ ...s })),
      nonAudio: [...this.#index.nonAudio],
      warnings: [...this.#index.warnings, ...this.#warned],
      indexReused: this.#indexReused,
      indexFingerprint: this.indexFingerprint,
      featureFingerprint: this.featureFingerprint,
      extractor: this.#generatorParts.extractor.id,
      spectrograms: { ...this.#stats },
      memoryBytes: this.#memory?.usedBytes ?? 0,
    };
  }

  /** Drops what the dataset holds in memory. The plugins stay owned by whoever made them. */
  dispose(): void {
    this.#recentSpectrograms.clear();
    this.#waveforms.clear();
    this.#memory?.clear();
  }
}

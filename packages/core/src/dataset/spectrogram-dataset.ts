import type { MemoryCache } from '../cache/memory-cache';
import type { DatasetParts } from '../contracts/dataset-parts';
import type { Item, ItemLocation } from '../contracts/item';
import type { OutputConfiguration } from '../contracts/output-configuration';
import type { ReadableDataset } from '../contracts/readable-dataset';
import type { Tensor } from '../contracts/tensor';
import { type Batch, defaultCollate } from '../loader/default-collate';
import { type BatchLayout, batchFits, newBatch } from './batch-layout';
import type { DatasetIndex } from './dataset-index';
import type { DatasetReport, GenerationStats } from './dataset-report';
import type { DerivedSizes } from './derived-sizes';
import type { FileReadPath } from './file-read-path';
import type { ItemParts, ItemPartsTarget } from './item-parts';
import type { ItemTable } from './item-table';
import { pacePromotion } from './old-space-pacer';
import { SplitModes } from './split-modes';
import type { WarnOnce } from './warn-once';

/** What `openDataset` assembles a dataset from. */
export interface SpectrogramDatasetState {
  parts: DatasetParts;
  sizes: DerivedSizes;
  featureFingerprint: string;
  indexFingerprint: string;
  index: DatasetIndex;
  indexReused: boolean;
  table: ItemTable;
  itemParts: ItemParts;
  labels: { classes: string[]; fileLabel: Int32Array };
  reader: FileReadPath;
  memory: MemoryCache | undefined;
  stats: GenerationStats;
  warnings: WarnOnce;
}

/**
 * A dataset of fixed-size log-mel spectrogram windows with masks, labels, metadata and audio.
 * Made by `createDataset().build()` or `openSpectrogramDataset(options)` (both go through
 * `openDataset(parts)`, which indexes and generates before handing over).
 *
 * @example
 * const ds = await createDataset(registry).source(...).extractor(...).build();
 * ds.train();
 * const item = await ds.get(0); // { spectrogram: [nMels, spgLength], masks: { speech: [spgLength] } }
 */
export class SpectrogramDataset extends SplitModes implements ReadableDataset {
  /** Window grid in samples and frames. */
  readonly sizes: DerivedSizes;
  /** Fingerprint of everything that changes spectrogram values; part of every cache key. */
  readonly featureFingerprint: string;
  /** Fingerprint of the index inputs; the index is stored under it. */
  readonly indexFingerprint: string;

  readonly #state: SpectrogramDatasetState;
  readonly #table: ItemTable;
  readonly #files: DatasetIndex['files'];
  readonly #output: OutputConfiguration;
  readonly #fileLabel: Int32Array;
  /** The last map given to `getRelabeled`, and #fileLabel mapped through it; the same per map. */
  #relabelMap: Int32Array | undefined;
  #relabeledFileLabel: Int32Array = new Int32Array(0);
  readonly #relabeledFileLabels = new WeakMap<Int32Array, Int32Array>();

  /** @internal made by `openDataset(parts)` */
  constructor(state: SpectrogramDatasetState) {
    super();
    this.#state = state;
    this.sizes = state.sizes;
    this.featureFingerprint = state.featureFingerprint;
    this.indexFingerprint = state.indexFingerprint;
    this.#table = state.table;
    this.#files = state.index.files;
    this.#fileLabel = state.labels.fileLabel;
    const output = state.parts.output;
    this.#output = Object.freeze({
      audio: output.audio,
      spectrogram: output.spectrogram,
      masks: Object.freeze([...output.masks]) as string[],
      meta: Object.freeze([...output.meta]) as string[],
      label: output.label,
    });
  }

  /** Items of the current mode. */
  get length(): number {
    return this.#table.length;
  }

  /** Label classes: sorted unique values of the label field over all files (empty without a label). */
  get classes(): readonly string[] {
    return this.#state.labels.classes;
  }

  /** What every item carries. */
  get outputConfiguration(): OutputConfiguration {
    return this.#output;
  }

  /** The current mode (split part) and fraction. */
  get mode(): { mode: number; fraction: number } {
    return { mode: this.#table.mode, fraction: this.#table.fraction };
  }

  /** Selects split part `mode` (0 train, 1 validate, 2 test) and optionally a deterministic fraction of it. */
  setMode(mode: number, fraction = 1): void {
    this.#table.setMode(mode, fraction);
  }

  /** Where item `index` of the current mode comes from. */
  locate(index: number): ItemLocation {
    const row = this.#table.row(index);
    const window = this.#table.window[row]!;
    return {
      path: this.#files[this.#table.file[row]!]!.path,
      window,
      startSample: window * this.sizes.windowOffset,
      contentRatio: this.#table.ratio[row]!,
    };
  }

  /** Item `index` of the current mode. */
  get(index: number): Promise<Item> {
    return this.#itemPromise(index, this.#fileLabel);
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
        const classes = this.#state.labels.classes;
        if (labelMap.length !== classes.length) {
          return Promise.reject(
            new RangeError(
              `label map has ${labelMap.length} entries; this dataset has ${classes.length} classes, so give one per class`,
            ),
          );
        }
        fileLabel = this.#fileLabel.map((label) => labelMap[label]!);
        this.#relabeledFileLabels.set(labelMap, fileLabel);
      }
      this.#relabeledFileLabel = fileLabel;
      this.#relabelMap = labelMap;
    }
    return this.#itemPromise(index, this.#relabeledFileLabel);
  }

  /**
   * Item `index`: made now, without an async function's extra promise and await, when everything
   * it needs is at hand (its spectrogram held in memory, no audio); else loaded.
   */
  #itemPromise(index: number, fileLabel: Int32Array): Promise<Item> {
    try {
      const output = this.#output;
      if (!output.audio) {
        const row = this.#table.row(index);
        const fi = this.#table.file[row]!;
        const spectrogram = output.spectrogram ? this.#state.reader.spectrogramNow(fi) : undefined;
        if (spectrogram || !output.spectrogram)
          return Promise.resolve(
            this.#makeItem(row, fi, spectrogram, this.#firstColumn(row), undefined, fileLabel),
          );
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#item(index, fileLabel);
  }

  /** Item `index`, labelled from `fileLabel` (per file: its label). */
  async #item(index: number, fileLabel: Int32Array): Promise<Item> {
    const row = this.#table.row(index);
    const fi = this.#table.file[row]!;
    const reader = this.#state.reader;
    const output = this.#output;
    let spectrogram = output.spectrogram ? reader.spectrogramNow(fi) : undefined;
    let first = this.#firstColumn(row);
    let waveform: Float32Array | undefined;
    if ((output.spectrogram && !spectrogram) || output.audio) {
      // A long file's window is read alone (its entry is never loaded whole).
      const windowed = output.spectrogram && !spectrogram && reader.windowed(fi);
      // A long file's audio window too (its waveform is never decoded whole where it can be avoided).
      const audioStart = output.audio && reader.audioWindowed(fi) ? this.#audioStart(row) : undefined;
      [spectrogram, waveform] = await Promise.all([
        output.spectrogram
          ? (spectrogram ??
            (windowed ? reader.window(fi, first, this.sizes.spgLength) : reader.spectrogram(fi)))
          : undefined,
        output.audio
          ? audioStart === undefined
            ? reader.waveform(fi)
            : reader.audioWindow(fi, audioStart, this.sizes.windowSize)
          : undefined,
      ]);
      if (windowed) first = 0;
      if (audioStart !== undefined)
        return this.#makeItem(row, fi, spectrogram, first, waveform, fileLabel, 0);
    }
    return this.#makeItem(row, fi, spectrogram, first, waveform, fileLabel);
  }

  /** Sample of the file where row `row`'s audio window starts. */
  #audioStart(row: number): number {
    return this.#table.window[row]! * this.sizes.windowOffset;
  }

  /**
   * Builds one item in ONE new buffer: the spectrogram window, each mask and the audio window are
   * views of a single Float32Array (one allocation per item, however many parts it has).
   */
  #makeItem(
    row: number,
    fi: number,
    spectrogram: Tensor | undefined,
    first: number,
    waveform: Float32Array | undefined,
    fileLabel: Int32Array,
    /** Where the item's audio starts in `waveform` (default: the window's start in the file). */
    audioStart = this.#audioStart(row),
  ): Item {
    const { windowSize, spgLength } = this.sizes;
    const { masks, meta, label } = this.#output;
    const nMels = spectrogram ? spectrogram.shape[0]! : 0;
    const spectrogramValues = nMels * spgLength;
    const maskValues = masks.length * spgLength;
    const buffer = new Float32Array(spectrogramValues + maskValues + (waveform ? windowSize : 0));
    pacePromotion(buffer.byteLength);
    const item: Item = {};
    if (spectrogram) {
      const data = buffer.subarray(0, spectrogramValues);
      this.#copyWindow(spectrogram, first, data, 0);
      item.spectrogram = { data, shape: [nMels, spgLength] };
    }
    if (waveform) {
      const data = buffer.subarray(spectrogramValues + maskValues);
      data.set(waveform.subarray(audioStart, Math.min(waveform.length, audioStart + windowSize)));
      item.audio = { data, shape: [windowSize] };
    }
    if (masks.length || meta.length) {
      const parts = this.#state.itemParts;
      const target: ItemPartsTarget = {
        masks: masks.map((_, k) =>
          buffer.subarray(spectrogramValues + k * spgLength, spectrogramValues + (k + 1) * spgLength),
        ),
        labels: undefined,
        meta: parts.metaFields.map(() => new Array<unknown>(1)),
      };
      parts.write(target, 0, row, fileLabel);
      if (masks.length) {
        item.masks = {};
        for (let k = 0; k < masks.length; k++)
          item.masks[masks[k]!] = { data: target.masks[k]!, shape: [spgLength] };
      }
      if (meta.length) {
        const fields = parts.metaFields;
        const values: Record<string, unknown> = {};
        for (let k = 0; k < fields.length; k++) values[fields[k]!] = target.meta[k]![0];
        item.meta = values;
      }
    }
    if (label !== null) item.label = fileLabel[fi]!;
    return item;
  }

  /**
   * The items `indices` as `defaultCollate` would stack them, reading each window straight from the
   * cached spectrogram into the batch (one copy, no per-item arrays; every float part and the
   * labels share ONE new buffer). The DataLoader uses it when its collate is the default one. With
   * `into` (a batch this dataset returned earlier for as many items, which the caller no longer
   * uses) the batch is written into its arrays instead and `into` is returned: no memory at all.
   * With `audio` requested it collates `get()` items.
   */
  async getBatch(indices: readonly number[], into?: Batch): Promise<Batch> {
    const n = indices.length;
    const rows = new Int32Array(n);
    for (let b = 0; b < n; b++) rows[b] = this.#table.row(indices[b]!);
    if (this.#output.audio || n === 0)
      return defaultCollate(await Promise.all(indices.map((index) => this.get(index))));
    let tensors: Tensor[] | undefined;
    const firsts = new Int32Array(n);
    for (let b = 0; b < n; b++) firsts[b] = this.#firstColumn(rows[b]!);
    if (this.#output.spectrogram) {
      tensors = await this.#spectrogramsOf(rows, firsts);
    }
    const nMels = tensors ? tensors[0]!.shape[0]! : 0;
    const batch =
      into && batchFits(this.#batchLayout, into, n, nMels) ? into : newBatch(this.#batchLayout, n, nMels);
    const { spgLength } = this.sizes;
    if (tensors) {
      const data = batch.spectrogram!.data;
      for (let b = 0; b < n; b++) this.#copyWindow(tensors[b]!, firsts[b]!, data, b * nMels * spgLength);
    }
    const { masks, meta, label } = this.#output;
    if (masks.length || meta.length || label !== null) {
      const parts = this.#state.itemParts;
      const target: ItemPartsTarget = {
        masks: masks.map((name) => batch.masks![name]!.data),
        labels: batch.label,
        meta: parts.metaFields.map((field) => batch.meta![field]!),
      };
      if (batch === into) for (const mask of target.masks) mask.fill(0);
      for (let b = 0; b < n; b++) parts.write(target, b, rows[b]!, this.#fileLabel);
    }
    return batch;
  }

  /**
   * Each row's whole-file spectrogram: at hand without waiting where possible, else loaded
   * (concurrently); for a long file, the row's window alone (its `firsts` entry then becomes 0).
   */
  async #spectrogramsOf(rows: Int32Array, firsts: Int32Array): Promise<Tensor[]> {
    const reader = this.#state.reader;
    const tensors = new Array<Tensor>(rows.length);
    const waiting: Promise<void>[] = [];
    for (let b = 0; b < rows.length; b++) {
      const fi = this.#table.file[rows[b]!]!;
      const now = reader.spectrogramNow(fi);
      if (now) tensors[b] = now;
      else if (reader.windowed(fi)) {
        waiting.push(
          reader.window(fi, firsts[b]!, this.sizes.spgLength).then((tensor) => {
            tensors[b] = tensor;
            firsts[b] = 0;
          }),
        );
      } else
        waiting.push(
          reader.spectrogram(fi).then((tensor) => {
            tensors[b] = tensor;
          }),
        );
    }
    if (waiting.length) await Promise.all(waiting);
    return tensors;
  }

  /** What a batch of this dataset holds and how it is laid out. */
  get #batchLayout(): BatchLayout {
    return {
      spgLength: this.sizes.spgLength,
      output: this.#output,
      metaFields: this.#state.itemParts.metaFields,
    };
  }

  /** The first spectrogram column of table row `row`'s window. */
  #firstColumn(row: number): number {
    return this.#table.window[row]! * this.sizes.spgOffset;
  }

  /**
   * Copies spgLength columns from column `first` of every mel row of `spectrogram` into `target`
   * at `offset`; columns past its last frame are zero.
   */
  #copyWindow(spectrogram: Tensor, first: number, target: Float32Array, offset: number): void {
    const [nMels, frames] = spectrogram.shape as [number, number];
    const { spgLength } = this.sizes;
    const width = Math.max(0, Math.min(spgLength, frames - first));
    const data = spectrogram.data;
    for (let m = 0; m < nMels; m++) {
      const from = m * frames + first;
      const to = offset + m * spgLength;
      target.set(data.subarray(from, from + width), to);
      if (width < spgLength) target.fill(0, to + width, to + spgLength);
    }
  }

  /** What was indexed, skipped, generated and reused, and the items per split part. */
  report(): DatasetReport {
    const s = this.#state;
    const index = s.index;
    return {
      files: index.files.length,
      items: this.#table.count,
      classes: [...s.labels.classes],
      splitItems: this.#table.splitCounts(),
      mode: this.#table.mode,
      fraction: this.#table.fraction,
      modeItems: this.#table.length,
      skipped: index.skipped.map((f) => ({ ...f })),
      nonAudio: [...index.nonAudio],
      warnings: [...index.warnings, ...s.warnings.list()],
      indexReused: s.indexReused,
      indexFingerprint: this.indexFingerprint,
      featureFingerprint: this.featureFingerprint,
      extractor: s.parts.extractor.id,
      cache: s.parts.cache?.id ?? null,
      spectrograms: { ...s.stats },
      memoryBytes: s.memory?.usedBytes ?? 0,
    };
  }

  /** Drops what the dataset holds in memory. The plugins stay owned by whoever made them. */
  dispose(): void {
    this.#state.reader.clear();
    this.#state.memory?.clear();
  }
}

import type { MemoryCache } from '../cache/memory-cache';
import type { DatasetParts } from '../contracts/dataset-parts';
import type { Item, ItemLocation } from '../contracts/item';
import type { OutputConfiguration } from '../contracts/output-configuration';
import type { ReadableDataset } from '../contracts/readable-dataset';
import type { Tensor } from '../contracts/tensor';
import { type Batch, defaultCollate } from '../loader/default-collate';
import type { DatasetIndex } from './dataset-index';
import type { DatasetReport, GenerationStats } from './dataset-report';
import type { DerivedSizes } from './derived-sizes';
import type { FileReadPath } from './file-read-path';
import type { ItemParts, ItemPartsTarget } from './item-parts';
import type { ItemTable } from './item-table';
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
    return this.#item(index, this.#relabeledFileLabel);
  }

  /** Item `index`, labelled from `fileLabel` (per file: its label). */
  async #item(index: number, fileLabel: Int32Array): Promise<Item> {
    const row = this.#table.row(index);
    const fi = this.#table.file[row]!;
    const { windowSize, windowOffset, spgLength } = this.sizes;
    const reader = this.#state.reader;
    const item: Item = {};
    const [spectrogram, waveform] = await Promise.all([
      this.#output.spectrogram ? reader.spectrogram(fi) : undefined,
      this.#output.audio ? reader.waveform(fi) : undefined,
    ]);
    if (spectrogram) {
      const nMels = spectrogram.shape[0]!;
      const data = new Float32Array(nMels * spgLength);
      this.#copyWindow(spectrogram, row, data, 0);
      item.spectrogram = { data, shape: [nMels, spgLength] };
    }
    if (waveform) {
      const start = this.#table.window[row]! * windowOffset;
      const data = new Float32Array(windowSize);
      data.set(waveform.subarray(start, Math.min(waveform.length, start + windowSize)));
      item.audio = { data, shape: [windowSize] };
    }
    if (this.#output.masks.length || this.#output.label !== null || this.#output.meta.length) {
      const parts = this.#state.itemParts;
      const target = parts.target(1);
      parts.write(target, 0, row, fileLabel);
      this.#setParts(item, target);
    }
    return item;
  }

  /** Moves an item's masks, label and meta from a target of one into `item`. */
  #setParts(item: Item, target: ItemPartsTarget): void {
    const { masks, meta } = this.#output;
    if (masks.length) {
      item.masks = {};
      for (let k = 0; k < masks.length; k++)
        item.masks[masks[k]!] = { data: target.masks[k]!, shape: [this.sizes.spgLength] };
    }
    if (target.labels) item.label = target.labels[0]!;
    if (meta.length) {
      const fields = this.#state.itemParts.metaFields;
      const values: Record<string, unknown> = {};
      for (let k = 0; k < fields.length; k++) values[fields[k]!] = target.meta[k]![0];
      item.meta = values;
    }
  }

  /**
   * The items `indices` as `defaultCollate` would stack them, reading each window straight from the
   * cached spectrogram into the batch (one copy, no per-item arrays). The DataLoader uses it when
   * its collate is the default one. With `audio` requested it collates `get()` items.
   */
  async getBatch(indices: readonly number[]): Promise<Batch> {
    const rows = indices.map((index) => this.#table.row(index));
    if (this.#output.audio || rows.length === 0)
      return defaultCollate(await Promise.all(indices.map((index) => this.get(index))));
    const { spgLength } = this.sizes;
    const n = rows.length;
    const batch: Batch = {};
    if (this.#output.spectrogram) {
      const reader = this.#state.reader;
      const tensors = await Promise.all(rows.map((row) => reader.spectrogram(this.#table.file[row]!)));
      const nMels = tensors[0]!.shape[0]!;
      const data = new Float32Array(n * nMels * spgLength);
      for (let b = 0; b < n; b++) this.#copyWindow(tensors[b]!, rows[b]!, data, b * nMels * spgLength);
      batch.spectrogram = { data, shape: [n, 1, nMels, spgLength] };
    }
    const { masks, meta } = this.#output;
    if (masks.length || this.#output.label !== null || meta.length) {
      const parts = this.#state.itemParts;
      const target = parts.target(n);
      for (let b = 0; b < n; b++) parts.write(target, b, rows[b]!, this.#fileLabel);
      if (masks.length) {
        batch.masks = {};
        for (let k = 0; k < masks.length; k++)
          batch.masks[masks[k]!] = { data: target.masks[k]!, shape: [n, spgLength] };
      }
      if (target.labels) batch.label = target.labels;
      if (meta.length) {
        batch.meta = {};
        parts.metaFields.forEach((field, k) => {
          batch.meta![field] = target.meta[k]!;
        });
      }
    }
    return batch;
  }

  /** Copies table row `row`'s window (spgLength columns of every mel row) into `target` at `offset`. */
  #copyWindow(spectrogram: Tensor, row: number, target: Float32Array, offset: number): void {
    const [nMels, frames] = spectrogram.shape as [number, number];
    const { spgLength, spgOffset } = this.sizes;
    const first = this.#table.window[row]! * spgOffset;
    const width = Math.max(0, Math.min(spgLength, frames - first));
    for (let m = 0; m < nMels; m++) {
      const from = m * frames + first;
      target.set(spectrogram.data.subarray(from, from + width), offset + m * spgLength);
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

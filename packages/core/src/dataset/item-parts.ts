import type { OutputConfiguration } from '../contracts/output-configuration';
import type { IndexedFile } from './dataset-index';
import type { DerivedSizes } from './derived-sizes';
import type { ItemTable } from './item-table';
import { metaFields } from './label-classes';
import { maskFramesInto } from './mask-frames';

/** Masks, labels and meta of `n` items, laid out as a batch: masks `[n, spgLength]`, n labels, n values per field. */
export interface ItemPartsTarget {
  masks: Float32Array[];
  labels: Int32Array | undefined;
  meta: unknown[][];
}

/**
 * Writes the masks, label and meta of items: one code path for `get` (a target of one) and
 * `getBatch` (a target of the batch size), so both always agree.
 */
export class ItemParts {
  /** The requested meta fields except the label field. */
  readonly metaFields: readonly string[];
  readonly #files: readonly IndexedFile[];
  readonly #table: ItemTable;
  readonly #output: OutputConfiguration;
  readonly #sizes: DerivedSizes;

  constructor(
    files: readonly IndexedFile[],
    table: ItemTable,
    output: OutputConfiguration,
    sizes: DerivedSizes,
  ) {
    this.#files = files;
    this.#table = table;
    this.#output = output;
    this.#sizes = sizes;
    this.metaFields = metaFields(output.meta, output.label);
  }

  /** Zeroed storage for `n` items. */
  target(n: number): ItemPartsTarget {
    return {
      masks: this.#output.masks.map(() => new Float32Array(n * this.#sizes.spgLength)),
      labels: this.#output.label === null ? undefined : new Int32Array(n),
      meta: this.metaFields.map(() => new Array<unknown>(n)),
    };
  }

  /** Writes table row `row`'s parts at `slot` of `target`, its label read from `fileLabel` (per file). */
  write(target: ItemPartsTarget, slot: number, row: number, fileLabel: Int32Array): void {
    const fi = this.#table.file[row]!;
    const file = this.#files[fi]!;
    const { windowSize, windowOffset, spgLength, hopLength } = this.#sizes;
    const start = this.#table.window[row]! * windowOffset;
    const masks = this.#output.masks;
    for (let k = 0; k < masks.length; k++) {
      maskFramesInto(target.masks[k]!, slot * spgLength, {
        intervals: file.intervals[masks[k]!]!,
        start,
        windowSize,
        hopLength,
        length: file.length,
        spgLength,
      });
    }
    if (target.labels) target.labels[slot] = fileLabel[fi]!;
    const fields = this.metaFields;
    for (let k = 0; k < fields.length; k++) target.meta[k]![slot] = file.metadata[fields[k]!];
  }
}

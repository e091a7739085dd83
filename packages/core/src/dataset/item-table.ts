import type { SplitOptions } from '../contracts/dataset-parts';
import type { IndexedFile } from './dataset-index';
import { assignSplits, fractionSubset, modeName, type SplitUnit, validateMode } from './split-assignment';

/**
 * Every kept window of the index as a flat table (file, window, content ratio, split part), in
 * file order then window order, and the items of the current mode. Items are what `get(i)` serves.
 */
export class ItemTable {
  /** File number (index into the index's files) of each item. */
  readonly file: Int32Array;
  /** Window number within its file of each item. */
  readonly window: Int32Array;
  readonly ratio: Float64Array;
  /** Split part of each item. */
  readonly split: Int32Array;
  readonly #splitOptions: SplitOptions;
  #mode = 0;
  #fraction = 1;
  #modeItems: Int32Array = new Int32Array(0);

  /** `warn` hears about split parts that end up empty. */
  constructor(files: readonly IndexedFile[], split: SplitOptions, warn: (message: string) => void) {
    this.#splitOptions = split;
    const count = files.reduce((n, f) => n + f.windows.length, 0);
    this.file = new Int32Array(count);
    this.window = new Int32Array(count);
    this.ratio = new Float64Array(count);
    let j = 0;
    files.forEach((f, fi) => {
      for (const [window, ratio] of f.windows) {
        this.file[j] = fi;
        this.window[j] = window;
        this.ratio[j] = ratio;
        j++;
      }
    });
    this.split = this.#assignSplits(files, warn);
    this.setMode(0);
  }

  /** Items over all split parts. */
  get count(): number {
    return this.file.length;
  }

  /** Items of the current mode. */
  get length(): number {
    return this.#modeItems.length;
  }

  get mode(): number {
    return this.#mode;
  }

  get fraction(): number {
    return this.#fraction;
  }

  /** Selects split part `mode` and a deterministic `fraction` of it. */
  setMode(mode: number, fraction = 1): void {
    validateMode(mode, this.#splitOptions.split, fraction);
    const ids: number[] = [];
    for (let j = 0; j < this.split.length; j++) if (this.split[j] === mode) ids.push(j);
    this.#modeItems = fractionSubset(Int32Array.from(ids), fraction, this.#splitOptions.seed);
    this.#mode = mode;
    this.#fraction = fraction;
  }

  /** The table row of item `index` of the current mode; a RangeError names the valid range. */
  row(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.#modeItems.length) {
      throw new RangeError(
        `item index ${index} is out of range: the current mode (${modeName(this.#mode)}) has ${this.#modeItems.length} items, so use a whole number in [0, ${this.#modeItems.length - 1}]`,
      );
    }
    return this.#modeItems[index]!;
  }

  /** Items per split part. */
  splitCounts(): number[] {
    const counts = this.#splitOptions.split.map(() => 0);
    for (const k of this.split) counts[k]!++;
    return counts;
  }

  /**
   * Grouping: by file (all windows of a file share a split), by a metadata value, or per window
   * (the Python package's behaviour, which leaks one recording into several parts).
   */
  #assignSplits(files: readonly IndexedFile[], warn: (message: string) => void): Int32Array {
    const { split, seed, splitBy } = this.#splitOptions;
    const itemSplit = new Int32Array(this.file.length);
    if (split.length === 1) return itemSplit;
    if (splitBy === 'window') {
      const units: SplitUnit[] = Array.from(this.file, (fi, j) => ({
        key: `${files[fi]!.path}#${this.window[j]}`,
        size: 1,
      }));
      itemSplit.set(assignSplits(units, split, seed));
    } else {
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
      for (let j = 0; j < itemSplit.length; j++) itemSplit[j] = splitOfGroup.get(groupOf[this.file[j]!]!)!;
    }
    split.forEach((ratio, k) => {
      if (ratio > 0 && !itemSplit.includes(k))
        warn(
          `split part ${k} (${modeName(k)}) is empty: ${this.file.length} items in ${new Set(itemSplit).size} groups cannot give it ${ratio} of the items when grouped by ${splitBy}`,
        );
    });
    return itemSplit;
  }
}

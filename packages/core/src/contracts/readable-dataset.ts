import type { Batch } from './batch';
import type { Item } from './item';
import type { OutputConfiguration } from './output-configuration';

/** What the router, the data loader and tools read. Datasets and routers both implement it. */
export interface ReadableDataset {
  readonly length: number;
  readonly classes: readonly string[];
  /** What every item carries; routers require equal configurations. */
  readonly outputConfiguration: OutputConfiguration;
  get(index: number): Promise<Item>;
  setMode(mode: number, fraction?: number): void;
  /**
   * Optional: the items `indices` already stacked as `defaultCollate` would (same values and
   * shapes), read without making per-item arrays. The DataLoader calls it when its collate is the
   * default one. `into`, when given, is a batch this dataset returned earlier for as many items that
   * the caller is done with: a dataset MAY write the new batch into its arrays and return it.
   */
  getBatch?(indices: readonly number[], into?: Batch): Promise<Batch>;
  /**
   * Optional: item `index` with its label replaced by `labelMap[label]`, made in the same step as
   * the item (no second promise, no copy). The router calls it to relabel members' items; without
   * it the router maps a copy of `get(index)`'s item.
   */
  getRelabeled?(index: number, labelMap: Int32Array): Promise<Item>;
}

import type { Item } from './item';

/** What the router, the data loader and tools read. Datasets and routers both implement it. */
export interface ReadableDataset {
  readonly length: number;
  readonly classes: readonly string[];
  get(index: number): Promise<Item>;
  setMode(mode: number, fraction?: number): void;
}

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
}

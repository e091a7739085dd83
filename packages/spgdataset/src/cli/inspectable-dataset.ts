import type { DatasetReport, DerivedSizes, Item, ItemLocation, OutputConfiguration } from '@spgdataset/core';

/** What the commands read from a dataset: the public surface of `SpectrogramDataset`. */
export interface InspectableDataset {
  readonly length: number;
  readonly classes: readonly string[];
  readonly outputConfiguration: OutputConfiguration;
  readonly sizes: DerivedSizes;
  readonly indexFingerprint: string;
  get(index: number): Promise<Item>;
  locate(index: number): ItemLocation;
  setMode(mode: number, fraction?: number): void;
  report(): DatasetReport;
  dispose?(): void;
}

export const SPLIT_NAMES = ['train', 'validate', 'test'];

export function splitName(k: number): string {
  return SPLIT_NAMES[k] ?? `part ${k}`;
}

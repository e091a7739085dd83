import type { Item } from '../contracts/item';
import type { ReadableDataset } from '../contracts/readable-dataset';

/** What the `ReadableDataset` case groups share. */
export interface DatasetCaseContext {
  /** Adds a case that runs on a fresh dataset; `notApplicable` says why it does not apply. */
  add(name: string, run: (ds: ReadableDataset) => Promise<void>, notApplicable?: string): void;
  /** Whether the dataset under test has the method `member` (from a probe instance). */
  has(member: string): boolean;
  /** Split parts: modes 0 .. parts - 1. */
  parts: number;
  modes: readonly number[];
  /** Most items read per mode and fraction. */
  maxItems: number;
  /** Items `indices` of the current mode. */
  read(ds: ReadableDataset, indices: readonly number[]): Promise<Item[]>;
  /** Switches to the first mode with at least two items (for the cases that need some) and returns it. */
  busyMode(ds: ReadableDataset): number;
}

/** `locate` as datasets and routers have it (not part of `ReadableDataset`). */
export type Locatable = ReadableDataset & { locate(index: number): unknown };

export const FRACTIONS = [0.25, 0.5, 1];

/** Up to `max` indices of [0, length), evenly spaced, first and last included. */
export function sampleIndices(length: number, max: number): number[] {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(Math.round((k * (length - 1)) / (max - 1)));
  return [...out];
}

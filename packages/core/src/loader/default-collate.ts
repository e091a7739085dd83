import type { Item } from '../contracts/item';
import type { Tensor } from '../contracts/tensor';
import { SpgError } from '../errors/spg-error';
import { stackTensors, unsqueeze } from './stack-tensors';

/** What `defaultCollate` makes of B items. Only the parts the items carry are set. */
export interface Batch {
  /** `[B, 1, nMels, spgLength]` (a channel axis, ready for a 2-D conv). */
  spectrogram?: Tensor;
  /** `[B, windowSize]`. */
  audio?: Tensor;
  /** One `[B, spgLength]` tensor per mask name. */
  masks?: Record<string, Tensor>;
  /** Class indices, length B. */
  label?: Int32Array;
  /** One array of B values per meta field. */
  meta?: Record<string, unknown[]>;
}

/** Turns the items of one batch into a batch value. */
export type Collate<B> = (items: Item[]) => B;

function missing(part: string, item: number): SpgError {
  return new SpgError(
    'SPG_COLLATE_MISSING_PART',
    `Cannot collate: item 0 has ${part} but item ${item} does not; every item of a batch needs the same parts (one output configuration).`,
    { part, item },
  );
}

function pluck<T>(items: readonly Item[], part: string, get: (item: Item) => T | undefined): T[] {
  const out = new Array<T>(items.length);
  for (let b = 0; b < items.length; b++) {
    const value = get(items[b]!);
    if (value === undefined) throw missing(part, b);
    out[b] = value;
  }
  return out;
}

/**
 * Stacks items into contiguous tensors: spectrogram `[B, 1, nMels, spgLength]`, masks[name]
 * `[B, spgLength]`, audio `[B, windowSize]`, label `Int32Array(B)`, meta[key] arrays of B values.
 * The parts are those of the first item; each output tensor is one allocation.
 */
export function defaultCollate(items: Item[]): Batch {
  const batch: Batch = {};
  const first = items[0];
  if (first === undefined) return batch;
  if (first.spectrogram) {
    batch.spectrogram = unsqueeze(
      stackTensors(
        pluck(items, 'spectrogram', (i) => i.spectrogram),
        'spectrogram',
      ),
      1,
    );
  }
  if (first.audio)
    batch.audio = stackTensors(
      pluck(items, 'audio', (i) => i.audio),
      'audio',
    );
  if (first.masks) {
    batch.masks = {};
    for (const name of Object.keys(first.masks)) {
      batch.masks[name] = stackTensors(
        pluck(items, `masks.${name}`, (i) => i.masks?.[name]),
        `masks.${name}`,
      );
    }
  }
  if (first.label !== undefined) {
    const label = new Int32Array(items.length);
    for (let b = 0; b < items.length; b++) {
      const value = items[b]!.label;
      if (value === undefined) throw missing('label', b);
      label[b] = value;
    }
    batch.label = label;
  }
  if (first.meta) {
    batch.meta = {};
    for (const key of Object.keys(first.meta)) {
      batch.meta[key] = items.map((item, b) => {
        if (!item.meta || !(key in item.meta)) throw missing(`meta.${key}`, b);
        return item.meta[key];
      });
    }
  }
  return batch;
}

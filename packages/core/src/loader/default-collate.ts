import type { Batch } from '../contracts/batch';
import type { Item } from '../contracts/item';

import { SpgError } from '../errors/spg-error';
import { stackTensors, unsqueeze } from './stack-tensors';

export type { Batch };

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

// A tiny in-memory ReadableDataset for the loader tests: item i carries label i and tensors whose
// values encode (i, position), so tests can check where every value of a batch came from.
import type { Item, OutputConfiguration, ReadableDataset } from '../src/index';

export interface FakeDatasetOptions {
  length: number;
  nMels?: number;
  frames?: number;
  /** Indices whose `get` rejects. */
  failing?: readonly number[];
}

export interface FakeDataset extends ReadableDataset {
  /** Indices requested so far, in call order. */
  readonly requested: number[];
}

/** Spectrogram value of item `i` at mel `m`, frame `t` (hand-chosen, unique for small sizes). */
export const spectrogramValue = (i: number, m: number, t: number) => i * 1000 + m * 10 + t;

export function fakeDataset(options: FakeDatasetOptions): FakeDataset {
  const { length, nMels = 2, frames = 3, failing = [] } = options;
  const requested: number[] = [];
  const outputConfiguration: OutputConfiguration = {
    audio: false,
    spectrogram: true,
    masks: [],
    meta: [],
    label: 'index',
  };
  return {
    length,
    classes: [],
    outputConfiguration,
    requested,
    setMode() {},
    async get(i: number): Promise<Item> {
      requested.push(i);
      if (!Number.isInteger(i) || i < 0 || i >= length) throw new RangeError(`index ${i} out of range`);
      if (failing.includes(i)) throw new Error(`item ${i} failed`);
      const data = new Float32Array(nMels * frames);
      for (let m = 0; m < nMels; m++)
        for (let t = 0; t < frames; t++) data[m * frames + t] = spectrogramValue(i, m, t);
      return { spectrogram: { data, shape: [nMels, frames] }, label: i };
    },
  };
}

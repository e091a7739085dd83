import { describe, expect, it } from 'vitest';
import { DataLoader, defaultCollate, type Item, SpgError, stackTensors, unsqueeze } from '../src/index';
import { fakeDataset, spectrogramValue } from './loader-fake-dataset';

const nMels = 2;
const frames = 3;

/** Item b: spectrogram values 100 b + 10 m + t, mask of frame t = (b + t) % 2, audio b + s / 10. */
function handMadeItem(b: number): Item {
  return {
    spectrogram: {
      data: Float32Array.of(100 * b, 100 * b + 1, 100 * b + 2, 100 * b + 10, 100 * b + 11, 100 * b + 12),
      shape: [nMels, frames],
    },
    masks: {
      speech: { data: Float32Array.of(b % 2, (b + 1) % 2, b % 2), shape: [frames] },
      noise: { data: Float32Array.of(1, 1, 0), shape: [frames] },
    },
    audio: { data: Float32Array.of(b, b + 0.5, b + 0.25, b + 0.125), shape: [4] },
    label: 2 - b,
    meta: { gender: b === 1 ? 'f' : 'm', age: 20 + b },
  };
}

describe('defaultCollate', () => {
  it('stacks every part into contiguous tensors with the batch axis first', () => {
    const batch = defaultCollate([0, 1, 2].map(handMadeItem));
    expect(batch.spectrogram!.shape).toEqual([3, 1, 2, 3]);
    expect([...batch.spectrogram!.data]).toEqual([
      0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112, 200, 201, 202, 210, 211, 212,
    ]);
    expect(batch.masks!.speech!.shape).toEqual([3, 3]);
    expect([...batch.masks!.speech!.data]).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0]);
    expect([...batch.masks!.noise!.data]).toEqual([1, 1, 0, 1, 1, 0, 1, 1, 0]);
    expect(batch.audio!.shape).toEqual([3, 4]);
    expect([...batch.audio!.data]).toEqual([0, 0.5, 0.25, 0.125, 1, 1.5, 1.25, 1.125, 2, 2.5, 2.25, 2.125]);
    expect(batch.label).toBeInstanceOf(Int32Array);
    expect([...batch.label!]).toEqual([2, 1, 0]);
    expect(batch.meta).toEqual({ gender: ['m', 'f', 'm'], age: [20, 21, 22] });
  });

  it('sets only the parts the items carry', () => {
    const batch = defaultCollate([{ label: 4 }, { label: 5 }]);
    expect(Object.keys(batch)).toEqual(['label']);
    expect(Object.keys(defaultCollate([]))).toEqual([]);
  });

  it('copies, so later changes to an item do not reach the batch', () => {
    const items = [handMadeItem(0), handMadeItem(1)];
    const batch = defaultCollate(items);
    items[0]!.spectrogram!.data[0] = -1;
    expect(batch.spectrogram!.data[0]).toBe(0);
  });

  it('names the part and the item when shapes or parts differ', () => {
    const odd = handMadeItem(1);
    odd.masks!.speech = { data: new Float32Array(4), shape: [4] };
    expect(() => defaultCollate([handMadeItem(0), odd])).toThrow(/masks\.speech: item 1 has shape \[4\]/);
    const bare = handMadeItem(2);
    delete bare.audio;
    try {
      defaultCollate([handMadeItem(0), handMadeItem(1), bare]);
      expect.unreachable();
    } catch (e) {
      expect(SpgError.isInstance(e) && e.code).toBe('SPG_COLLATE_MISSING_PART');
      expect((e as Error).message).toMatch(/audio but item 2 does not/);
    }
  });

  it('is what the loader uses by default', async () => {
    const loader = new DataLoader(fakeDataset({ length: 5, nMels, frames }), {
      batchSize: 2,
      shuffle: true,
      seed: 2,
    });
    for await (const batch of loader) {
      const labels = [...batch.label!];
      expect(batch.spectrogram!.shape).toEqual([labels.length, 1, nMels, frames]);
      labels.forEach((i, b) => {
        for (let m = 0; m < nMels; m++)
          for (let t = 0; t < frames; t++)
            expect(batch.spectrogram!.data[b * nMels * frames + m * frames + t]).toBe(
              spectrogramValue(i, m, t),
            );
      });
    }
  });
});

describe('custom collate', () => {
  it("expresses the seed README's (inputs, masks) collate in a few lines", async () => {
    const items = [0, 1].map(handMadeItem);
    const dataset = { ...fakeDataset({ length: 2 }), get: async (i: number) => items[i]! };
    const loader = new DataLoader(dataset, {
      batchSize: 2,
      collate: (batch) =>
        [
          unsqueeze(stackTensors(batch.map((d) => d.spectrogram!)), 1),
          stackTensors(batch.map((d) => d.masks!.speech!)),
        ] as const,
    });
    for await (const [inputs, masks] of loader) {
      expect(inputs.shape).toEqual([2, 1, 2, 3]);
      expect([...inputs.data]).toEqual([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
      expect(masks.shape).toEqual([2, 3]);
      expect([...masks.data]).toEqual([0, 1, 0, 1, 0, 1]);
    }
  });

  it('unsqueeze adds an axis without copying and rejects axes out of range', () => {
    const t = { data: new Float32Array(6), shape: [2, 3] };
    expect(unsqueeze(t, 0).shape).toEqual([1, 2, 3]);
    expect(unsqueeze(t, -1).shape).toEqual([2, 3, 1]);
    expect(unsqueeze(t, 1).data).toBe(t.data);
    expect(() => unsqueeze(t, 4)).toThrow(RangeError);
  });
});

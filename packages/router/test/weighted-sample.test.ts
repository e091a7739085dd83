import { SpgConfigError, weightedSampler } from '@spgdataset/core';
import { describe, expect, it } from 'vitest';
import { SpectrogramDatasetRouter, weightedCounts } from '../src/index';
import { FakeDataset } from './fake-dataset';

describe('weightedCounts', () => {
  it('splits a count by largest remainder (hand-computed)', () => {
    // 10 * [1, 3] / 4 = [2.5, 7.5] -> floors [2, 7], one left, tie -> lower index.
    expect(weightedCounts([1, 3], 10)).toEqual([3, 7]);
    // 7 * [1, 1, 1] / 3 = 2.33 each -> [2, 2, 2], one left -> dataset 0.
    expect(weightedCounts([1, 1, 1], 7)).toEqual([3, 2, 2]);
    // 10 * [0.2, 0.5, 0.3] = [2, 5, 3] (floating error must not lose an item).
    expect(weightedCounts([0.2, 0.5, 0.3], 10)).toEqual([2, 5, 3]);
    // 5 * [0, 2, 1] / 3 = [0, 3.33, 1.67] -> [0, 3, 1], one left -> largest remainder (dataset 2).
    expect(weightedCounts([0, 2, 1], 5)).toEqual([0, 3, 2]);
  });
});

describe('sampleIndices', () => {
  const members = () => [
    new FakeDataset({ name: 'a', lengths: [10, 4] }),
    new FakeDataset({ name: 'b', lengths: [5, 6] }),
    new FakeDataset({ name: 'c', lengths: [100, 1] }),
  ];

  function perDataset(router: SpectrogramDatasetRouter, indices: number[]): number[][] {
    const out: number[][] = router.datasets.map(() => []);
    for (const i of indices) {
      const { dataset, index } = router.locate(i);
      out[dataset]!.push(index);
    }
    return out;
  }

  it('mixes datasets in the given proportions and is deterministic for a seed', () => {
    const router = new SpectrogramDatasetRouter(members(), { weights: [0.5, 0.25, 0.25] });
    expect(router.weights).toEqual([0.5, 0.25, 0.25]);
    const indices = router.sampleIndices(40, 7);
    expect(indices).toHaveLength(40);
    const groups = perDataset(router, indices);
    expect(groups.map((g) => g.length)).toEqual([20, 10, 10]);
    // a has 10 items and gives 20: two whole passes, each item exactly twice.
    expect([...groups[0]!].sort((x, y) => x - y)).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9,
    ]);
    // c has 100 items and gives 10: no repeats.
    expect(new Set(groups[2]).size).toBe(10);
    expect(router.sampleIndices(40, 7)).toEqual(indices);
    expect(router.sampleIndices(40, 8)).not.toEqual(indices);
    // Mixed, not grouped: the first 20 draws are not all from dataset a.
    expect(new Set(indices.slice(0, 20).map((i) => router.locate(i).dataset)).size).toBeGreaterThan(1);
  });

  it('without weights, weighs datasets by their lengths (a permutation when count = length)', () => {
    const router = new SpectrogramDatasetRouter(members());
    expect(router.weights).toBeUndefined();
    const indices = router.sampleIndices(115, 1);
    expect([...indices].sort((x, y) => x - y)).toEqual(Array.from({ length: 115 }, (_, i) => i));
  });

  it('follows the current mode', () => {
    const router = new SpectrogramDatasetRouter(members(), { weights: [1, 1, 2] });
    expect(router.lengths).toEqual([10, 5, 100]);
    router.validate();
    expect(router.lengths).toEqual([4, 6, 1]);
    const indices = router.sampleIndices(8, 3);
    expect(indices.every((i) => i >= 0 && i < 11)).toBe(true);
    expect(perDataset(router, indices).map((g) => g.length)).toEqual([2, 2, 4]);
  });

  it('refuses a weighted dataset with no items and bad arguments', () => {
    const router = new SpectrogramDatasetRouter(members(), { weights: [1, 1, 1] });
    router.setMode(1, 0.5); // c: floor(1 * 0.5) = 0 items
    let error: unknown;
    try {
      router.sampleIndices(4, 1);
    } catch (e) {
      error = e;
    }
    expect(SpgConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('dataset 2 has weight 1 but no items in the current mode');
    router.train();
    expect(() => router.sampleIndices(-1, 1)).toThrow(RangeError);
    expect(() => router.sampleIndices(2.5, 1)).toThrow(RangeError);
    expect(() => router.sampleIndices(2, 0.5)).toThrow(RangeError);
    expect(router.sampleIndices(0, 1)).toEqual([]);
  });
});

describe("core's weightedSampler", () => {
  it('takes router.weights and router.lengths', () => {
    const router = new SpectrogramDatasetRouter(
      [
        new FakeDataset({ lengths: [10] }),
        new FakeDataset({ lengths: [5] }),
        new FakeDataset({ lengths: [100] }),
      ],
      { weights: [1, 0, 3] },
    );
    const sampler = weightedSampler({ weights: router.weights!, lengths: router.lengths, seed: 5 });
    const indices = Array.from(sampler.indices(router.length, 0));
    expect(indices).toHaveLength(115);
    const members = indices.map((i) => router.locate(i).dataset);
    expect(members.includes(1)).toBe(false);
    expect(members.filter((d) => d === 2).length).toBeGreaterThan(members.filter((d) => d === 0).length);
  });
});

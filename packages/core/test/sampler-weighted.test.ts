import { describe, expect, it } from 'vitest';
import { SpgConfigError, weightedSampler } from '../src/index';

function histogram(indices: ArrayLike<number>, size: number): number[] {
  const out = new Array<number>(size).fill(0);
  for (let k = 0; k < indices.length; k++) out[indices[k]!]!++;
  return out;
}

describe('weightedSampler', () => {
  it('draws per-index weights in proportion, never a zero weight (seeded, so exact every run)', () => {
    const sampler = weightedSampler({ weights: [1, 0, 3, 4], numSamples: 40_000, seed: 5 });
    const counts = histogram(sampler.indices(4, 0), 4);
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 40_000).toBeCloseTo(1 / 8, 2);
    expect(counts[2]! / 40_000).toBeCloseTo(3 / 8, 2);
    expect(counts[3]! / 40_000).toBeCloseTo(4 / 8, 2);
  });

  it('draws members by weight and items of a member uniformly (router weights + lengths)', () => {
    // Members: indices 0-1 (weight 1), 2-4 (weight 0), 5-8 (weight 3).
    const sampler = weightedSampler({ weights: [1, 0, 3], lengths: [2, 3, 4], numSamples: 80_000, seed: 9 });
    const counts = histogram(sampler.indices(9, 2), 9);
    expect(counts.slice(2, 5)).toEqual([0, 0, 0]);
    const first = counts[0]! + counts[1]!;
    expect(first / 80_000).toBeCloseTo(0.25, 2);
    for (const i of [0, 1]) expect(counts[i]! / first).toBeCloseTo(0.5, 1);
    for (const i of [5, 6, 7, 8]) expect(counts[i]! / (80_000 - first)).toBeCloseTo(0.25, 1);
  });

  it('repeats for the same seed and epoch, differs across epochs, and defaults to length draws', () => {
    const a = weightedSampler({ weights: [1, 2, 3, 4, 5], seed: 1 });
    const b = weightedSampler({ weights: [1, 2, 3, 4, 5], seed: 1 });
    expect([...b.indices(5, 3)]).toEqual([...a.indices(5, 3)]);
    expect(a.size(5)).toBe(5);
    expect(a.indices(5, 3).length).toBe(5);
    const long = weightedSampler({ weights: [1, 2, 3, 4, 5], seed: 1, numSamples: 64 });
    expect([...long.indices(5, 4)]).not.toEqual([...long.indices(5, 3)]);
  });

  it('rejects bad weights and lengths, naming each', () => {
    try {
      weightedSampler({ weights: [1, -1, Number.NaN], lengths: [1, 2] });
      expect.unreachable();
    } catch (e) {
      expect(SpgConfigError.isInstance(e)).toBe(true);
      expect((e as SpgConfigError).issues.map((i) => i.path)).toEqual([
        'weights[1]',
        'weights[2]',
        'lengths',
      ]);
    }
    expect(() => weightedSampler({ weights: [0, 5], lengths: [3, 0] })).toThrow(/no index can be drawn/);
    expect(() => weightedSampler({ weights: [1, 1] }).indices(3, 0)).toThrow(
      /has one weight per index for 2 items but the dataset has 3/,
    );
  });
});

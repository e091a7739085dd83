import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distributedSampler, SpgConfigError } from '../src/index';

const ranks = (
  worldSize: number,
  options: { seed?: number; shuffle?: boolean; remainder?: 'pad' | 'drop' },
) => Array.from({ length: worldSize }, (_, rank) => distributedSampler({ rank, worldSize, ...options }));

const arb = {
  length: fc.nat(200),
  worldSize: fc.integer({ min: 1, max: 9 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  epoch: fc.nat(100),
  shuffle: fc.boolean(),
};

describe('distributedSampler', () => {
  it("with 'drop', partitions all but length % worldSize indices exactly, equal counts per rank", () => {
    fc.assert(
      fc.property(
        arb.length,
        arb.worldSize,
        arb.seed,
        arb.epoch,
        arb.shuffle,
        (length, worldSize, seed, epoch, shuffle) => {
          const shares = ranks(worldSize, { seed, shuffle, remainder: 'drop' }).map((s) => [
            ...s.indices(length, epoch),
          ]);
          const per = Math.floor(length / worldSize);
          for (const share of shares) expect(share.length).toBe(per);
          const all = shares.flat();
          expect(new Set(all).size).toBe(all.length);
          expect(length - all.length).toBe(length % worldSize);
          for (const i of all) expect(Number.isInteger(i) && i >= 0 && i < length).toBe(true);
        },
      ),
    );
  });

  it("with 'pad', gives every index to a rank, equal counts, and only ceil padding repeats", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        arb.worldSize,
        arb.seed,
        arb.epoch,
        arb.shuffle,
        (length, worldSize, seed, epoch, shuffle) => {
          const shares = ranks(worldSize, { seed, shuffle, remainder: 'pad' }).map((s) => [
            ...s.indices(length, epoch),
          ]);
          const per = Math.ceil(length / worldSize);
          for (const share of shares) expect(share.length).toBe(per);
          const all = shares.flat();
          expect([...new Set(all)].sort((a, b) => a - b)).toEqual(Array.from({ length }, (_, i) => i));
          expect(all.length - length).toBe(per * worldSize - length);
        },
      ),
    );
  });

  it('gives the same order for a given seed and epoch wherever it is computed, and a new one per epoch', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 200 }),
        arb.worldSize,
        arb.seed,
        arb.epoch,
        (length, worldSize, seed, epoch) => {
          const here = ranks(worldSize, { seed }).map((s) => [...s.indices(length, epoch)]);
          const there = ranks(worldSize, { seed }).map((s) => [...s.indices(length, epoch)]);
          expect(there).toEqual(here);
          const next = ranks(worldSize, { seed }).map((s) => [...s.indices(length, epoch + 1)]);
          expect(next).not.toEqual(here);
        },
      ),
    );
  });

  it('without shuffle, deals positions round-robin', () => {
    const [r0, r1, r2] = ranks(3, { shuffle: false, remainder: 'pad' });
    expect([...r0!.indices(7, 0)]).toEqual([0, 3, 6]);
    expect([...r1!.indices(7, 0)]).toEqual([1, 4, 0]);
    expect([...r2!.indices(7, 0)]).toEqual([2, 5, 1]);
  });

  it('rejects a rank outside the world and names the fix', () => {
    expect(() => distributedSampler({ rank: 2, worldSize: 2 })).toThrow(
      /rank: got 2; use an integer in \[0, worldSize - 1 = 1\]/,
    );
    try {
      distributedSampler({ rank: 0, worldSize: 0, remainder: 'wrap' as 'pad' });
      expect.unreachable();
    } catch (e) {
      expect(SpgConfigError.isInstance(e)).toBe(true);
      expect((e as SpgConfigError).issues.map((i) => i.path)).toEqual(['worldSize', 'rank', 'remainder']);
    }
  });
});

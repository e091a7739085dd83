import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Batch, DataLoader, SpgConfigError } from '../src/index';
import { fakeDataset } from './loader-fake-dataset';

/** The label (= dataset index) of every item of every batch of one epoch. */
async function epochLabels(loader: DataLoader<Batch>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const batch of loader) out.push([...batch.label!]);
  return out;
}

describe('DataLoader batches', () => {
  it('yields batches in order without shuffle, the last one short', async () => {
    const loader = new DataLoader(fakeDataset({ length: 7 }), { batchSize: 3 });
    expect(loader.length).toBe(3);
    expect(await epochLabels(loader)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('drops the short last batch with dropLast', async () => {
    const loader = new DataLoader(fakeDataset({ length: 7 }), { batchSize: 3, dropLast: true });
    expect(loader.length).toBe(2);
    expect(await epochLabels(loader)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('covers every index exactly once per epoch (property, with and without shuffle)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 17 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 4 }),
        async (length, batchSize, shuffle, seed, prefetch) => {
          const loader = new DataLoader(fakeDataset({ length }), { batchSize, shuffle, seed, prefetch });
          for (let epoch = 0; epoch < 2; epoch++) {
            const batches = await epochLabels(loader);
            expect(batches.length).toBe(Math.ceil(length / batchSize));
            for (const b of batches.slice(0, -1)) expect(b.length).toBe(batchSize);
            expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length }, (_, i) => i));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('with dropLast, yields only full batches of distinct indices, leaving out length % batchSize', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 17 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        async (length, batchSize, shuffle, seed) => {
          const loader = new DataLoader(fakeDataset({ length }), {
            batchSize,
            shuffle,
            seed,
            dropLast: true,
          });
          const batches = await epochLabels(loader);
          expect(batches.length).toBe(Math.floor(length / batchSize));
          for (const b of batches) expect(b.length).toBe(batchSize);
          const seen = batches.flat();
          expect(new Set(seen).size).toBe(seen.length);
          expect(length - seen.length).toBe(length % batchSize);
          for (const i of seen) expect(i >= 0 && i < length).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reshuffles every epoch, and repeats the same epochs for the same seed', async () => {
    const make = (seed: number) =>
      new DataLoader(fakeDataset({ length: 50 }), { batchSize: 8, shuffle: true, seed });
    const a = make(7);
    const b = make(7);
    const a0 = (await epochLabels(a)).flat();
    const a1 = (await epochLabels(a)).flat();
    expect(a0).not.toEqual(a1);
    expect(a0).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect((await epochLabels(b)).flat()).toEqual(a0);
    expect((await epochLabels(b)).flat()).toEqual(a1);
    expect((await epochLabels(make(8))).flat()).not.toEqual(a0);
  });

  it('counts epochs and lets setEpoch choose the next one', async () => {
    const loader = new DataLoader(fakeDataset({ length: 20 }), { batchSize: 4, shuffle: true, seed: 3 });
    expect(loader.epoch).toBe(0);
    const first = await epochLabels(loader);
    expect(loader.epoch).toBe(1);
    await epochLabels(loader);
    loader.setEpoch(0);
    expect(await epochLabels(loader)).toEqual(first);
    loader.setEpoch(5);
    const fifth = await epochLabels(loader);
    const other = new DataLoader(fakeDataset({ length: 20 }), { batchSize: 4, shuffle: true, seed: 3 });
    const viaBatches: number[][] = [];
    for await (const batch of other.batches(5)) viaBatches.push([...batch.label!]);
    expect(viaBatches).toEqual(fifth);
    expect(other.epoch).toBe(0);
  });

  it('an epoch stopped early still advances the counter', async () => {
    const loader = new DataLoader(fakeDataset({ length: 20 }), { batchSize: 4 });
    for await (const _ of loader) break;
    expect(loader.epoch).toBe(1);
  });
});

describe('DataLoader prefetch', () => {
  it.each([0, 1, 2, 4])('keeps exactly %i batch(es) in flight while the loop works', async (prefetch) => {
    const dataset = fakeDataset({ length: 100 });
    const loader = new DataLoader(dataset, { batchSize: 5, prefetch });
    let k = 0;
    for await (const batch of loader) {
      expect([...batch.label!]).toEqual([5 * k, 5 * k + 1, 5 * k + 2, 5 * k + 3, 5 * k + 4]);
      // The hand-over comes first; the read-ahead starts in the next task, while the loop works.
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(dataset.requested.length).toBe(5 * (k + 1 + prefetch));
      if (++k === 3) break;
    }
  });

  it('requests items in sampler order', async () => {
    const dataset = fakeDataset({ length: 30 });
    const loader = new DataLoader(dataset, { batchSize: 4, shuffle: true, seed: 11, prefetch: 3 });
    const seen = (await epochLabels(loader)).flat();
    expect(dataset.requested).toEqual(seen);
  });

  it('rethrows a failing item when its batch is reached, and not before', async () => {
    const loader = new DataLoader(fakeDataset({ length: 20, failing: [9] }), { batchSize: 4, prefetch: 4 });
    const got: number[] = [];
    await expect(async () => {
      for await (const batch of loader) got.push(...batch.label!);
    }).rejects.toThrow('item 9 failed');
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('a loop that stops before a failing prefetched batch sees no error', async () => {
    const loader = new DataLoader(fakeDataset({ length: 20, failing: [6] }), { batchSize: 4, prefetch: 2 });
    for await (const batch of loader) {
      expect(batch.label![0]).toBe(0);
      // Work long enough for the read-ahead (batch 1 holds the failing item 6) to start and fail.
      await new Promise((resolve) => setTimeout(resolve, 5));
      break;
    }
    // Let the rejected prefetch settle; an unhandled rejection would fail the run.
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});

describe('DataLoader options', () => {
  it('lists every invalid option in one SpgConfigError', () => {
    const ds = fakeDataset({ length: 3 });
    let error: unknown;
    try {
      new DataLoader(ds, {
        batchSize: 0,
        prefetch: -1,
        seed: 1.5,
        shuffle: true,
        sampler: { name: 'x', size: (n) => n, indices: () => [] },
      });
    } catch (e) {
      error = e;
    }
    expect(SpgConfigError.isInstance(error)).toBe(true);
    expect((error as SpgConfigError).issues.map((i) => i.path)).toEqual([
      'batchSize',
      'prefetch',
      'seed',
      'shuffle',
    ]);
    expect(() => new DataLoader(ds).setEpoch(-1)).toThrow(/epoch: got -1/);
  });

  it('uses a custom sampler for the order', async () => {
    const loader = new DataLoader(fakeDataset({ length: 6 }), {
      batchSize: 2,
      sampler: {
        name: 'reversed',
        size: (n) => n,
        indices: (n) => Array.from({ length: n }, (_, i) => n - 1 - i),
      },
    });
    expect(await epochLabels(loader)).toEqual([
      [5, 4],
      [3, 2],
      [1, 0],
    ]);
  });
});

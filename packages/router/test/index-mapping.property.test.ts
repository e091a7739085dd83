import fc from 'fast-check';
import { expect, it } from 'vitest';
import { SpectrogramDatasetRouter } from '../src/index';
import { SegmentIndex } from '../src/segment-index';
import { FakeDataset } from './fake-dataset';

const memberLengths = fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 30 });

it('every global index maps to exactly one (dataset, local) pair, and back (bijection)', () => {
  fc.assert(
    fc.property(memberLengths, (lengths) => {
      const router = new SpectrogramDatasetRouter(lengths.map((n) => new FakeDataset({ lengths: [n] })));
      const total = lengths.reduce((a, b) => a + b, 0);
      expect(router.length).toBe(total);
      const seen = new Set<string>();
      let previous = { dataset: -1, index: -1 };
      for (let i = 0; i < total; i++) {
        const { dataset, index } = router.locate(i);
        // In range of a member that has items.
        expect(Number.isInteger(index) && index >= 0 && index < lengths[dataset]!).toBe(true);
        // Injective: no pair is hit twice.
        const key = `${dataset}:${index}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        // Order: concatenation, i.e. lexicographic in (dataset, index).
        const after =
          dataset > previous.dataset || (dataset === previous.dataset && index === previous.index + 1);
        expect(after).toBe(true);
        previous = { dataset, index };
        // Inverse: i = items before the dataset + local index.
        expect(lengths.slice(0, dataset).reduce((a, b) => a + b, 0) + index).toBe(i);
      }
      // Surjective: as many distinct pairs as the members hold in total.
      expect(seen.size).toBe(total);
      expect(() => router.locate(total)).toThrow(RangeError);
      expect(() => router.locate(-1)).toThrow(RangeError);
    }),
    { numRuns: 300 },
  );
});

// Skewed: a few long members among many short ones, so buckets span several members and get takes
// its fallback path.
const skewedLengths = fc.array(fc.oneof(fc.nat({ max: 6 }), fc.integer({ min: 500, max: 3000 })), {
  minLength: 2,
  maxLength: 60,
});

it('get returns the member item that locate names, in random access order', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(memberLengths, skewedLengths).filter((l) => l.some((n) => n > 0)),
      fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
        minLength: 1,
        maxLength: 50,
      }),
      async (lengths, picks) => {
        const router = new SpectrogramDatasetRouter(
          lengths.map((n, d) => new FakeDataset({ name: `d${d}`, lengths: [n] })),
        );
        for (const pick of picks) {
          const i = Math.floor(pick * router.length);
          const { dataset, index } = router.locate(i);
          expect((await router.get(i)).meta).toEqual({ name: `d${dataset}`, mode: 0, index });
        }
      },
    ),
    { numRuns: 200 },
  );
});

it('SegmentIndex agrees with a linear scan, also for skewed lengths (bucket fallback path)', () => {
  const skewed = fc.array(fc.oneof(fc.nat({ max: 3 }), fc.integer({ min: 200, max: 3000 })), {
    minLength: 1,
    maxLength: 60,
  });
  fc.assert(
    fc.property(skewed, (lengths) => {
      const index = new SegmentIndex(lengths);
      const total = lengths.reduce((a, b) => a + b, 0);
      expect(index.total).toBe(total);
      let d = 0;
      let start = 0;
      for (let i = 0; i < total; i++) {
        while (i >= start + lengths[d]!) start += lengths[d++]!;
        if (index.find(i) !== d) expect(`find(${i}) = ${index.find(i)}`).toBe(`find(${i}) = ${d}`);
      }
    }),
    { numRuns: 200 },
  );
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overlapLength, unionIntervals } from '../src/dataset/interval-union';
import { keptWindows } from '../src/dataset/kept-windows';
import { paddedLength, windowCount } from '../src/dataset/windows';

const size = 30720;
const offset = 1600;

describe('windowCount (docs/behaviour.md#windows)', () => {
  it.each([
    [1, 1],
    [size - 1, 1],
    [size, 1],
    [size + 1, 1],
    [size + offset - 1, 1],
    [size + offset, 2],
    [size + 2 * offset - 1, 2],
    [size + 2 * offset, 3],
  ])('length %i gives %i windows', (length, expected) => {
    expect(windowCount(length, size, offset)).toBe(expected);
  });

  it('every window starts inside the file and the next one would not fit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 400 }),
        (s, o, length) => {
          const n = windowCount(length, s, o);
          if (length <= s) return n === 1;
          // window n-1 ends inside the file, window n would end beyond it
          return (n - 1) * o + s <= length && n * o + s > length;
        },
      ),
    );
  });
});

describe('paddedLength (docs/behaviour.md#spectrogram)', () => {
  it.each([
    [100, size],
    [size, size],
    [size + 1, size + offset],
    [size + offset - 1, size + offset],
    [size + offset, size + offset],
    [size + offset + 1, size + 2 * offset],
  ])('length %i pads to %i', (length, expected) => {
    expect(paddedLength(length, size, offset)).toBe(expected);
  });

  it('covers the file and every window (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 400 }),
        (s, o, length) => {
          const padded = paddedLength(length, s, o);
          const n = windowCount(length, s, o);
          return padded >= length && padded >= (n - 1) * o + s && padded < Math.max(length, s) + o;
        },
      ),
    );
  });
});

const intervalArb = fc
  .tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 40 }))
  .map(([a, d]) => [a, a + d] as [number, number]);

describe('interval union and overlap', () => {
  it('merges overlapping and adjacent intervals of several masks', () => {
    expect(
      unionIntervals([
        [
          [10, 20],
          [40, 50],
        ],
        [
          [15, 30],
          [50, 60],
        ],
        [[70, 70]],
      ]),
    ).toEqual([
      [10, 30],
      [40, 60],
    ]);
  });

  it('overlap equals a per-sample count (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(intervalArb, { maxLength: 5 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: 0, max: 60 }),
        (masks, start, width) => {
          const covered = new Uint8Array(300);
          for (const m of masks) for (const [a, b] of m) covered.fill(1, a, b);
          let expected = 0;
          for (let i = start; i < start + width; i++) expected += covered[i]!;
          return overlapLength(unionIntervals(masks), start, start + width) === expected;
        },
      ),
    );
  });
});

describe('keptWindows (docs/behaviour.md#windows)', () => {
  it('keeps every window with ratio 1 when no mask is requested', () => {
    expect(
      keptWindows({ length: 25, windowSize: 10, windowOffset: 5, windowContentRatio: 0.5, masks: null }),
    ).toEqual([
      { window: 0, contentRatio: 1 },
      { window: 1, contentRatio: 1 },
      { window: 2, contentRatio: 1 },
      { window: 3, contentRatio: 1 },
    ]);
  });

  it('counts overlapping intervals of two masks once and keeps windows at the threshold', () => {
    // windows of 10 at 0, 5, 10, 15; union = [2, 9) u [9, 12) = [2, 12)
    const kept = keptWindows({
      length: 25,
      windowSize: 10,
      windowOffset: 5,
      windowContentRatio: 0.5,
      masks: [[[2, 9]], [[4, 12]], [[9, 9]]],
    });
    // ratios: [0,10) -> 8/10, [5,15) -> 7/10, [10,20) -> 2/10, [15,25) -> 0
    expect(kept).toEqual([
      { window: 0, contentRatio: 0.8 },
      { window: 1, contentRatio: 0.7 },
    ]);
    const atThreshold = keptWindows({
      length: 25,
      windowSize: 10,
      windowOffset: 5,
      windowContentRatio: 0.7,
      masks: [[[5, 12]]],
    });
    // [0,10) -> 5/10 dropped; [5,15) -> 7/10 = the ratio, kept
    expect(atThreshold.map((w) => w.window)).toEqual([1]);
  });

  it('a short file has one window measured against the full windowSize', () => {
    expect(
      keptWindows({ length: 4, windowSize: 10, windowOffset: 5, windowContentRatio: 0.3, masks: [[[0, 4]]] }),
    ).toEqual([{ window: 0, contentRatio: 0.4 }]);
  });

  it('matches a per-sample brute force (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(intervalArb, { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 160 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (masks, length, s, o, ratio) => {
          const covered = new Uint8Array(400);
          for (const m of masks) for (const [a, b] of m) covered.fill(1, a, b);
          const expected: number[] = [];
          const n = length <= s ? 1 : Math.floor((length - s) / o) + 1;
          for (let k = 0; k < n; k++) {
            let c = 0;
            for (let i = k * o; i < k * o + s; i++) c += covered[i]!;
            if (c / s >= ratio) expected.push(k);
          }
          const got = keptWindows({
            length,
            windowSize: s,
            windowOffset: o,
            windowContentRatio: ratio,
            masks,
          });
          return JSON.stringify(got.map((w) => w.window)) === JSON.stringify(expected);
        },
      ),
    );
  });
});

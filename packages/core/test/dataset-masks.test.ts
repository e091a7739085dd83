import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskFrames } from '../src/dataset/mask-frames';

const hop = 160;
const base = { windowSize: 3200, hopLength: hop, spgLength: 20 };

function ones(mask: Float32Array): number[] {
  return [...mask.keys()].filter((t) => mask[t] === 1);
}

describe('maskFrames (docs/behaviour.md#items)', () => {
  it('sets frames floor(a/hop) .. ceil(b/hop) - 1 relative to the window', () => {
    const mask = maskFrames({ ...base, intervals: [[480, 960]], start: 0, length: 100000 });
    expect(ones(mask)).toEqual([3, 4, 5]);
    // a non-aligned interval rounds outward: [500, 970) -> frames 3 .. ceil(970/160)=7 (excl.)
    expect(ones(maskFrames({ ...base, intervals: [[500, 970]], start: 0, length: 100000 }))).toEqual([
      3, 4, 5, 6,
    ]);
  });

  it('clips intervals at both window edges', () => {
    // window [1600, 4800): interval [1000, 2000) -> [1600, 2000) -> frames 10..13 -> 0..3
    const left = maskFrames({ ...base, intervals: [[1000, 2000]], start: 1600, length: 100000 });
    expect(ones(left)).toEqual([0, 1, 2]);
    // interval [4000, 9000) -> [4000, 4800) -> frames 25..30 -> 15..19
    const right = maskFrames({ ...base, intervals: [[4000, 9000]], start: 1600, length: 100000 });
    expect(ones(right)).toEqual([15, 16, 17, 18, 19]);
    // an interval outside the window leaves it empty
    expect(ones(maskFrames({ ...base, intervals: [[5000, 6000]], start: 1600, length: 100000 }))).toEqual([]);
  });

  it('stops at ceil(length/hop) - 1 at the file end', () => {
    // length 1000 -> ceil(1000/160) - 1 = 6; interval [0, 1000) -> frames 0..5
    const mask = maskFrames({ ...base, intervals: [[0, 1000]], start: 0, length: 1000 });
    expect(ones(mask)).toEqual([0, 1, 2, 3, 4, 5]);
    // length 960 (a multiple of hop): ceil = 6, cap 5 -> frames 0..4
    expect(ones(maskFrames({ ...base, intervals: [[0, 960]], start: 0, length: 960 }))).toEqual([
      0, 1, 2, 3, 4,
    ]);
  });

  it('unions several intervals of one mask', () => {
    const mask = maskFrames({
      ...base,
      intervals: [
        [0, 320],
        [320, 480],
        [1600, 1760],
      ],
      start: 0,
      length: 100000,
    });
    expect(ones(mask)).toEqual([0, 1, 2, 10]);
  });

  it('agrees with the docs/behaviour.md#items formula evaluated frame by frame (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .tuple(fc.integer({ min: 0, max: 6000 }), fc.integer({ min: 0, max: 3000 }))
            .map(([a, d]) => [a, a + d] as [number, number]),
          { maxLength: 4 },
        ),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 8000 }),
        (intervals, k, length) => {
          const s = k * 320;
          const mask = maskFrames({ ...base, intervals, start: s, length });
          for (let t = 0; t < base.spgLength; t++) {
            const frame = t + Math.floor(s / hop);
            const on = intervals.some(([lo, hi]) => {
              const a = Math.max(lo, s);
              const b = Math.min(hi, s + base.windowSize);
              if (b <= a) return false;
              return (
                frame >= Math.floor(a / hop) &&
                frame < Math.min(Math.ceil(b / hop), Math.ceil(length / hop) - 1)
              );
            });
            if ((mask[t] === 1) !== on) return false;
          }
          return mask.every((x) => x === 0 || x === 1);
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  float16ArrayToFloat32,
  float16BitsToFloat32,
  float32ArrayToFloat16,
  float32ToFloat16Bits,
} from '../src/codec/float16';

// Reference decoder straight from the IEEE 754 binary16 definition (double arithmetic, exact here).
function referenceHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  if (e === 0) return sign * m * 2 ** -24;
  return sign * 2 ** (e - 15) * (1 + m / 1024);
}

const allHalves = Uint16Array.from({ length: 65536 }, (_, i) => i);

describe('float16', () => {
  it('decodes all 65536 halves to their exact values (±0, subnormals, inf, nan)', () => {
    for (let h = 0; h < 65536; h++) {
      const got = float16BitsToFloat32(h);
      const want = referenceHalf(h);
      if (Number.isNaN(want)) expect(Number.isNaN(got), `half ${h}`).toBe(true);
      else if (!Object.is(got, want)) expect(got, `half 0x${h.toString(16)}`).toBe(want);
    }
  });

  it('round-trips every half bit pattern (arrays keep NaN payloads; JS numbers may quiet NaNs)', () => {
    for (let h = 0; h < 65536; h++) {
      const back = float32ToFloat16Bits(float16BitsToFloat32(h));
      if (Number.isNaN(referenceHalf(h))) expect(Number.isNaN(referenceHalf(back))).toBe(true);
      else if (back !== h) expect(back, `half 0x${h.toString(16)}`).toBe(h);
    }
    const wide = float16ArrayToFloat32(allHalves);
    expect(float32ArrayToFloat16(wide)).toEqual(allHalves);
  });

  it('array decoding keeps NaN payloads in the float32 bits', () => {
    const wide = float16ArrayToFloat32(Uint16Array.of(0x7c01, 0xfe00, 0x7e15));
    expect(Array.from(new Uint32Array(wide.buffer))).toEqual([0x7f802000, 0xffc00000, 0x7fc2a000]);
  });

  it.each([
    ['0', 0, 0x0000],
    ['-0', -0, 0x8000],
    ['1', 1, 0x3c00],
    ['1 + 2^-11 (tie, even stays)', 1 + 2 ** -11, 0x3c00],
    ['1 + 3 * 2^-11 (tie, rounds up to even)', 1 + 3 * 2 ** -11, 0x3c02],
    ['1 + 2^-11 + 2^-20 (above tie)', 1 + 2 ** -11 + 2 ** -20, 0x3c01],
    ['65504 (max half)', 65504, 0x7bff],
    ['65519 (below the inf tie)', 65519, 0x7bff],
    ['65520 (tie to even = inf)', 65520, 0x7c00],
    ['1e6 -> inf', 1e6, 0x7c00],
    ['-1e6 -> -inf', -1e6, 0xfc00],
    ['inf', Number.POSITIVE_INFINITY, 0x7c00],
    ['-inf', Number.NEGATIVE_INFINITY, 0xfc00],
    ['2^-24 (min subnormal)', 2 ** -24, 0x0001],
    ['2^-25 (tie to even = 0)', 2 ** -25, 0x0000],
    ['-2^-25 (tie to even = -0)', -(2 ** -25), 0x8000],
    ['2^-25 * (1 + 2^-23) (above tie)', 2 ** -25 * (1 + 2 ** -23), 0x0001],
    ['3 * 2^-25 (tie, rounds to 2)', 3 * 2 ** -25, 0x0002],
    ['1023.5 * 2^-24 (tie into the smallest normal)', 1023.5 * 2 ** -24, 0x0400],
    ['2^-14 (min normal)', 2 ** -14, 0x0400],
    ['float32 min subnormal -> 0', 2 ** -149, 0x0000],
    ['1/3', 1 / 3, 0x3555],
  ])('rounds %s', (_, value, half) => {
    expect(float32ToFloat16Bits(value)).toBe(half);
  });

  it('maps NaN to a NaN half, never to inf', () => {
    const bits = new Uint32Array([0x7fc00000, 0x7f800001, 0xff800fff]);
    const halves = float32ArrayToFloat16(new Float32Array(bits.buffer));
    for (const h of halves) expect(Number.isNaN(referenceHalf(h))).toBe(true);
    expect(halves[1]! & 0x8000).toBe(0);
    expect(halves[2]! & 0x8000).toBe(0x8000);
  });

  it('rounds any float32 to the nearest half, ties to even', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const h = float32ToFloat16Bits(x);
        const got = referenceHalf(h);
        if (Math.abs(x) >= 65520) return got === Math.sign(x) * Number.POSITIVE_INFINITY;
        const d = Math.abs(got - x);
        for (const n of [h - 1, h + 1]) {
          if ((n & 0x8000) !== (h & 0x8000) || n < 0 || n > 0xffff) continue;
          const other = referenceHalf(n);
          if (!Number.isFinite(other)) continue;
          const dn = Math.abs(other - x);
          if (dn < d) return false;
          if (dn === d && (h & 1) === 1) return false;
        }
        return true;
      }),
      { numRuns: 20000 },
    );
  });
});

// Test data for the cache conformance suite: tensors whose exact bit patterns are known.
import type { Tensor } from '../contracts/tensor';

/** Bit patterns of a Float32Array (compares NaN payloads, -0 and subnormals exactly). */
export function float32Bits(data: Float32Array): number[] {
  return Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length));
}

function fromBits(bits: readonly number[]): Float32Array {
  return new Float32Array(new Uint32Array(bits).buffer);
}

/**
 * Special values as float32 bit patterns: ±0, the smallest and largest float32 subnormals, the
 * smallest normal, ±1, the largest finite, ±inf and NaNs with payloads (quiet, so no platform
 * quiets them on the way).
 */
export const FLOAT32_SPECIAL_BITS: readonly number[] = [
  0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x3f800000, 0xbf800000, 0x7f7fffff, 0x7f800000,
  0xff800000, 0x7fc00000, 0x7fc00001, 0xffc12345, 0x3eaaaaab, 0x33d6bf95, 0x4b7fffff,
];

/**
 * Values exactly representable in float16, as float32 bit patterns: ±0, the smallest subnormal half
 * (2^-24), the largest subnormal half ((1023/1024) * 2^-14), the smallest normal half (2^-14), ±1,
 * 65504 (largest half), ±inf, 1/3 rounded to half (0x3555 = 0.333251953125).
 */
export const FLOAT16_EXACT_BITS: readonly number[] = [
  0x00000000, 0x80000000, 0x33800000, 0x387fc000, 0x38800000, 0x3f800000, 0xbf800000, 0x477fe000, 0x7f800000,
  0xff800000, 0x3eaaa000, 0xc7000000,
];

/** A tensor of special values, shape [2, n/2], for the given storage precision. */
export function specialTensor(storage: 'float32' | 'float16'): Tensor {
  const bits = storage === 'float32' ? FLOAT32_SPECIAL_BITS : FLOAT16_EXACT_BITS;
  return { data: fromBits(bits), shape: [2, bits.length / 2] };
}

/** Small deterministic PRNG (mulberry32), so tests need no global randomness. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A spectrogram-like tensor [nMels, frames] of deterministic values. For 'float32' storage any
 * finite float32 (random bit patterns, exponent not all ones); for 'float16' values m * 2^e with
 * |m| < 2048 and e >= -24, which float16 holds exactly.
 */
export function randomTensor(
  nMels: number,
  frames: number,
  seed: number,
  storage: 'float32' | 'float16',
): Tensor {
  const next = prng(seed);
  const n = nMels * frames;
  const data = new Float32Array(n);
  if (storage === 'float32') {
    const bits = new Uint32Array(data.buffer);
    for (let i = 0; i < n; i++) {
      let b = Math.floor(next() * 4294967296) >>> 0;
      if ((b & 0x7f800000) === 0x7f800000) b &= 0xbfffffff; // keep finite
      bits[i] = b;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const m = Math.floor(next() * 4095) - 2047;
      const e = Math.floor(next() * 29) - 24;
      data[i] = m * 2 ** e;
    }
  }
  return { data, shape: [nMels, frames] };
}

// IEEE 754 binary16 <-> binary32 conversion on bit patterns (no Math.f16round in Node 20).
// float32 -> float16 rounds to nearest, ties to even; overflow gives ±inf; values below half the
// smallest subnormal (2^-25) give ±0; NaN stays NaN (payload kept where it fits, never turned into inf).

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** Rounds `bits` (a float32 bit pattern) to the nearest float16 bit pattern. */
function float32BitsToFloat16Bits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) {
    if (mantissa === 0) return sign | 0x7c00;
    // Keep the top payload bits; if they are all zero, set the quiet bit so NaN never becomes inf.
    return sign | 0x7c00 | (mantissa >>> 13 || 0x200);
  }
  const halfExponent = exponent - 112; // rebias 127 -> 15
  if (halfExponent >= 31) return sign | 0x7c00;
  if (halfExponent >= 1) {
    let half = (halfExponent << 10) | (mantissa >>> 13);
    const rest = mantissa & 0x1fff;
    // A carry out of the mantissa bumps the exponent, and from 30 to 31 that is exactly inf.
    if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
    return sign | half;
  }
  // Half subnormal: value = m * 2^-24, m = full * 2^(exponent - 126).
  const shift = 126 - exponent;
  if (shift > 24) return sign; // below 2^-25 (float32 subnormals included): rounds to ±0
  const full = mantissa | 0x800000;
  let half = full >>> shift;
  const rest = full & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
  return sign | half; // m may round up to 1024 = the smallest normal, which is the right pattern
}

/** Exact float32 bit pattern of a float16 bit pattern (every half is a float32). */
function float16BitsToFloat32Bits(half: number): number {
  const sign = (half & 0x8000) << 16;
  const exponent = (half >>> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0;
  // Subnormal half -> normal float32: shift the leading one into the implicit bit.
  let m = mantissa;
  let e = 113;
  while ((m & 0x400) === 0) {
    m <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((m & 0x3ff) << 13)) >>> 0;
}

let decodeTable: Uint32Array | undefined;

/** float32 bit patterns of all 65536 halves, built on first use (256 KiB). */
function float16DecodeTable(): Uint32Array {
  if (!decodeTable) {
    decodeTable = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) decodeTable[h] = float16BitsToFloat32Bits(h);
  }
  return decodeTable;
}

/** The float16 bit pattern nearest to `value` (ties to even). */
export function float32ToFloat16Bits(value: number): number {
  scratch[0] = value;
  return float32BitsToFloat16Bits(scratchBits[0]!);
}

/** The value of a float16 bit pattern (0..65535). */
export function float16BitsToFloat32(half: number): number {
  scratchBits[0] = float16BitsToFloat32Bits(half & 0xffff);
  return scratch[0]!;
}

/** Converts float32 values to float16 bit patterns (into `out` when given; same length). */
export function float32ArrayToFloat16(
  source: Float32Array,
  out: Uint16Array = new Uint16Array(source.length),
): Uint16Array {
  if (out.length !== source.length)
    throw new RangeError(`float32ArrayToFloat16: out has ${out.length} elements, source ${source.length}.`);
  // Read bit patterns through an integer view so NaN payloads are not canonicalised.
  const bits = new Uint32Array(source.buffer, source.byteOffset, source.length);
  for (let i = 0; i < bits.length; i++) out[i] = float32BitsToFloat16Bits(bits[i]!);
  return out;
}

/** Converts float16 bit patterns to float32 values (into `out` when given; same length). */
export function float16ArrayToFloat32(
  source: Uint16Array,
  out: Float32Array = new Float32Array(source.length),
): Float32Array {
  if (out.length !== source.length)
    throw new RangeError(`float16ArrayToFloat32: out has ${out.length} elements, source ${source.length}.`);
  const table = float16DecodeTable();
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < source.length; i++) bits[i] = table[source[i]!]!;
  return out;
}

/**
 * Rounds float32 values to float16 precision in place (each value becomes the float32 of its
 * nearest half, exactly what `float16ArrayToFloat32(float32ArrayToFloat16(values))` gives), without
 * the two intermediate arrays.
 */
export function roundToFloat16InPlace(values: Float32Array): Float32Array {
  const table = float16DecodeTable();
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < bits.length; i++) bits[i] = table[float32BitsToFloat16Bits(bits[i]!)]!;
  return values;
}

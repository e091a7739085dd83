// Deterministic input signals for the conformance cases, independent of the code under test.

/** Noise in [-0.5, 0.5) in float64 (xorshift32 seeded by `seed`). */
function xorshiftNoise(length: number, seed: number): Float64Array {
  const out = new Float64Array(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state / 2 ** 32 - 0.5;
  }
  return out;
}

/**
 * Deterministic noise in [-0.5, 0.5) (xorshift32): the same `length` and `seed` give the same
 * samples on every platform, with no dependence on the code under test.
 */
export function noise(length: number, seed: number): Float32Array {
  return Float32Array.from(xorshiftNoise(length, seed));
}

/** Noise plus two tones, scaled by `amplitude` (the noise enters before rounding to float32). */
export function testSignal(length: number, seed = 1, amplitude = 0.3): Float32Array {
  const n = xorshiftNoise(length, seed);
  return Float32Array.from(
    n,
    (x, i) => amplitude * (0.5 * x + 0.3 * Math.sin(0.07 * i) + 0.2 * Math.sin(0.61 * i + seed)),
  );
}

/** sin(2 pi f i / rate + phase) for i in [0, length). */
export function sine(frequency: number, rate: number, length: number, phase = 0): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.sin((2 * Math.PI * frequency * i) / rate + phase);
  return out;
}

/**
 * A 16-bit PCM mono WAV: sample i is round(scale * samples[i]) (default scale 32767, so samples in
 * [-1, 1] use the full range).
 */
export function pcm16Wav(samples: ArrayLike<number>, sampleRate: number, scale?: number): Buffer;
/** Deterministic noise in [-0.5, 0.5): xorshift32 from `seed`; each call gives the next value. */
export function xorshiftNoise(seed: number): () => number;
/** The benchmarks' corpus clip: a 200-600 Hz chirp (2 s period) at 0.3 plus noise at 0.1, 16-bit. */
export function chirpWav(seconds: number, sampleRate: number, seed: number): Buffer;
export function pcm16WavHeader(frames: number, sampleRate: number, channels?: number): Buffer;

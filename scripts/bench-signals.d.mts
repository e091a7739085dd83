/** Deterministic speech-like audio: gliding harmonic source, syllable-rate envelope, a little noise. */
export function speechLike(samples: number, sampleRate?: number): Float32Array;

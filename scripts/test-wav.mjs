// WAV files for the tests and benchmarks (scheduler-bullmq, integration), written one way.

/** The 44-byte header of a 16-bit PCM WAV of `frames` frames of `channels` channels. */
export function pcm16WavHeader(frames, sampleRate, channels = 1) {
  const block = 2 * channels;
  const out = Buffer.alloc(44);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + block * frames, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(block * sampleRate, 28);
  out.writeUInt16LE(block, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(block * frames, 40);
  return out;
}

/**
 * A 16-bit PCM mono WAV: sample i is round(scale * samples[i]) (default scale 32767, so samples in
 * [-1, 1] use the full range).
 */
export function pcm16Wav(samples, sampleRate, scale = 32767) {
  const n = samples.length;
  const out = Buffer.alloc(44 + 2 * n);
  pcm16WavHeader(n, sampleRate).copy(out);
  for (let i = 0; i < n; i++) out.writeInt16LE(Math.round(scale * samples[i]), 44 + 2 * i);
  return out;
}

/** Deterministic noise in [-0.5, 0.5): xorshift32 from `seed`; each call gives the next value. */
export function xorshiftNoise(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32 - 0.5;
  };
}

/** The benchmarks' corpus clip: a 200-600 Hz chirp (2 s period) at 0.3 plus noise at 0.1, 16-bit. */
export function chirpWav(seconds, sampleRate, seed) {
  const noise = xorshiftNoise(seed);
  const samples = Float64Array.from({ length: Math.round(seconds * sampleRate) }, (_, i) => {
    const t = i / sampleRate;
    return 0.3 * Math.sin(2 * Math.PI * (200 + 400 * (t % 2)) * t) + 0.1 * noise();
  });
  return pcm16Wav(samples, sampleRate);
}

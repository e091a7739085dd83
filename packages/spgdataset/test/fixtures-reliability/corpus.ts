// Generated WAV corpora for the reliability tests: deterministic tones and noise, written to temp folders.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** 16-bit PCM WAV (mono unless `channels` > 1, the same signal in every channel). */
export function wavBytes(samples: Float32Array, sampleRate = 16000, channels = 1): Uint8Array {
  const dataBytes = samples.length * 2 * channels;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  text(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2 * channels, true);
  v.setUint16(32, 2 * channels, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 32767);
    for (let c = 0; c < channels; c++) v.setInt16(44 + (i * channels + c) * 2, s, true);
  }
  return out;
}

/** A tone at `hz` with a little deterministic noise (xorshift seeded by `seed`). */
export function toneSamples(length: number, hz: number, seed: number): Float32Array {
  const x = new Float32Array(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const noise = ((state >>> 0) / 2 ** 32 - 0.5) * 0.05;
    x[i] = 0.4 * Math.sin((2 * Math.PI * hz * i) / 16000) + noise;
  }
  return x;
}

export interface CorpusFile {
  path: string;
  length: number;
  speech: [number, number][];
  gender: string;
  kind: string;
}

/** Writes each file under `audioRoot` and returns the metadata.json object describing them. */
export function writeCorpus(audioRoot: string, files: readonly CorpusFile[]): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  files.forEach((f, i) => {
    const full = join(audioRoot, f.path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, wavBytes(toneSamples(f.length, 300 + 50 * i, i + 1)));
    metadata[f.path] = {
      length: f.length,
      intervals: { speech: f.speech },
      metadata: { gender: f.gender, kind: f.kind },
    };
  });
  return metadata;
}

/** `count` files of varying length (0.3 s to ~2 s at 16 kHz) in a few folders. */
export function variedCorpus(count: number): CorpusFile[] {
  return Array.from({ length: count }, (_, i) => {
    const length = 4800 + ((i * 7919) % 28000);
    return {
      path: `spk${i % 4}/take-${String(i).padStart(2, '0')}.wav`,
      length,
      speech: [[Math.floor(length / 8), Math.floor((length * 3) / 4)]],
      gender: i % 2 ? 'f' : 'm',
      kind: i % 3 ? 'speech' : 'noise',
    };
  });
}

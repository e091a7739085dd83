// The per-file pipeline (decode, mono, resample, log-mel) cut at every kind of chunk boundary gives the
// bytes the default cut gives: reads of 1 byte and of prime sizes, samples one at a time, a boundary
// inside the STFT overlap (nFft - 1 samples), for PCM WAV and for FLAC and MP3 (through ffmpeg), with
// both extractors and both resamplers. The extractor conformance suite checks the same cuts against
// the float64 golden fixtures.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  audioDecodeDecoder,
  type FeatureExtractor,
  type GeneratorParts,
  makeSpectrogram,
  mapSource,
  type Resampler,
  sincResampler,
} from '@spgdataset/core';
import { jsMelExtractor } from '@spgdataset/dsp-js';
import { wasmMelExtractor, wasmResampler } from '@spgdataset/dsp-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcm16Wav, xorshiftNoise } from '../../../scripts/test-wav.mjs';

const RATE = 44100;
const SECONDS = 1.3;
const scratch = mkdtempSync(join(tmpdir(), 'spg-chunks-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stereo 16-bit WAV: a chirp on the left, noise on the right. */
function stereoWav(): Uint8Array {
  const n = Math.round(RATE * SECONDS);
  const noise = xorshiftNoise(3);
  const mono = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    mono[2 * i] = 0.4 * Math.sin(2 * Math.PI * (300 + 900 * (i / n)) * (i / RATE));
    mono[2 * i + 1] = 0.2 * noise();
  }
  // pcm16Wav writes one channel: patch the header to two channels of n frames.
  const wav = new Uint8Array(pcm16Wav(mono, RATE));
  const view = new DataView(wav.buffer, wav.byteOffset);
  view.setUint16(22, 2, true);
  view.setUint32(28, RATE * 4, true);
  view.setUint16(32, 4, true);
  return wav;
}

const files: Record<string, Uint8Array> = {};
beforeAll(() => {
  files['stereo.wav'] = stereoWav();
  const wavPath = join(scratch, 'stereo.wav');
  writeFileSync(wavPath, files['stereo.wav']);
  for (const [name, args] of [
    ['stereo.flac', ['-c:a', 'flac']],
    ['stereo.mp3', ['-c:a', 'libmp3lame', '-b:a', '96k']],
  ] as const) {
    const out = join(scratch, name);
    const run = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', wavPath, ...args, out]);
    if (run.status === 0) files[name] = new Uint8Array(readFileSync(out));
  }
});

const mel = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80, normalize: true };

const cuts = [
  { label: 'samples one at a time, reads of 13 bytes', chunks: { bytes: 13, samples: 1 } },
  { label: 'prime reads (4099) and samples (7)', chunks: { bytes: 4099, samples: 7 } },
  { label: 'prime reads (65537) and samples (101)', chunks: { bytes: 65537, samples: 101 } },
  { label: 'samples cut inside the STFT overlap (nFft - 1)', chunks: { bytes: 1009, samples: 399 } },
  { label: 'hop + 1 samples', chunks: { samples: 161 } },
];

describe.each([
  ['wasm extractor, wasm resampler', () => wasmMelExtractor(mel), () => wasmResampler()],
  ['js extractor, core sinc resampler', () => jsMelExtractor(mel), () => sincResampler()],
] as const)('%s', (_name, makeExtractor, makeResampler) => {
  let parts: GeneratorParts;
  beforeAll(async () => {
    parts = {
      source: mapSource(files),
      decoder: audioDecodeDecoder(),
      resampler: (await makeResampler()) as Resampler,
      extractor: (await makeExtractor()) as FeatureExtractor,
      sampleRate: 16000,
      windowSize: 16000,
      windowOffset: 8000,
      dtype: 'float32',
    };
  });

  it.each(['stereo.wav', 'stereo.flac', 'stereo.mp3'])('%s: every cut gives the same bytes', async (path) => {
    if (!files[path]) {
      console.warn(`${path}: ffmpeg could not write it; skipped`);
      return;
    }
    const job = { path, length: 0, size: files[path]!.length };
    const reference = (await makeSpectrogram(parts, job)).tensor;
    const want = Buffer.from(reference.data.slice().buffer);
    expect(reference.shape[1]).toBeGreaterThanOrEqual(150);
    const all = path.endsWith('.wav') ? [{ label: 'reads of 1 byte', chunks: { bytes: 1 } }, ...cuts] : cuts;
    for (const cut of all) {
      const made = (await makeSpectrogram({ ...parts, chunks: cut.chunks }, job)).tensor;
      expect(made.shape, cut.label).toEqual(reference.shape);
      expect(Buffer.from(made.data.slice().buffer).equals(want), cut.label).toBe(true);
    }
  });
});

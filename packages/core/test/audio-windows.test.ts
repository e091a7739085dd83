// Audio windows of long files read alone (positional PCM reads, or the decoder's and resampler's
// streams from the start) give the whole-file waveform's samples bit for bit, at every position.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AudioSource } from '../src/contracts/audio-source';
import { AudioWindows } from '../src/dataset/audio-windows';
import { audioDecodeDecoder, type GeneratorParts, loadWaveform, sincResampler } from '../src/index';
import { fsSource } from '../src/node';

const fixtures = fileURLToPath(new URL('./', import.meta.url));

/** A file source that counts the bytes it reads in ranges. */
function countingSource(): AudioSource & { rangeBytes: number } {
  const inner = fsSource(fixtures);
  const source = {
    ...inner,
    rangeBytes: 0,
    async readRange(path: string, offset: number, length: number, into?: Uint8Array) {
      const bytes = await inner.readRange!(path, offset, length, into);
      source.rangeBytes += bytes.length;
      return bytes;
    },
  };
  return source;
}

function partsFor(source: AudioSource, sampleRate: number): GeneratorParts {
  // Only what reading waveforms uses; small reads so streams give many blocks.
  return {
    source,
    decoder: audioDecodeDecoder(),
    resampler: sincResampler(),
    sampleRate,
    chunks: { bytes: 256 },
  } as unknown as GeneratorParts;
}

/** The windows asked for, in order: start, middle, across the end, past it, then forward and back. */
function starts(n: number, length: number): number[] {
  const half = Math.floor(length / 2);
  return [
    0,
    Math.floor(n / 2),
    n - half,
    n + 3,
    Math.floor(n / 3),
    Math.floor(n / 3) + half,
    Math.floor(n / 3) + 2 * length,
    7,
    n - length,
  ].map((start) => Math.max(0, start));
}

/** Compares windows of a fifth of the file (the fixtures are short: a few hundred samples and up). */
async function expectSameWindows(path: string, sampleRate: number) {
  const source = countingSource();
  const parts = partsFor(source, sampleRate);
  const whole = await loadWaveform(parts, path);
  const length = Math.max(4, Math.floor(whole.length / 5));
  const windows = new AudioWindows(parts);
  let wholeCalls = 0;
  const wholeLoad = async () => {
    wholeCalls++;
    return whole;
  };
  try {
    for (const start of starts(whole.length, length)) {
      const got = await windows.read(path, start, length, wholeLoad);
      const want = new Float32Array(length);
      want.set(whole.subarray(start, Math.min(whole.length, start + length)));
      expect(got.length, `${path} at ${start}`).toBe(length);
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `${path} at ${start}`).toBe(true);
    }
  } finally {
    await windows.close();
  }
  return { wholeCalls, rangeBytes: source.rangeBytes };
}

describe('AudioWindows', () => {
  const pcm = [
    'pcm-fixtures/aiff-s16-2ch.aiff',
    'pcm-fixtures/aiff-s24-3ch.aiff',
    'pcm-fixtures/aifc-fl64-3ch.aiff',
    'pcm-fixtures/aifc-ulaw-1ch.aiff',
    'pcm-fixtures/rf64-s24-1ch.wav',
    'pcm-fixtures/rifx-f32-2ch.wav',
    'pcm-fixtures/riff-odd-chunks-s24-1ch.wav',
    'pcm-fixtures/riff-zero-sizes-s16-2ch.wav',
  ];
  const codecs = [
    'pcm-fixtures/flac-s16-2ch.flac',
    'pcm-fixtures/flac-s24-3ch.flac',
    'pcm-fixtures/ogg-flac-s16-2ch.oga',
    'decode-fixtures/burst.opus',
    'decode-fixtures/burst.m4a',
  ];

  async function nativeRate(path: string): Promise<number> {
    const parts = partsFor(fsSource(fixtures), 0);
    const bytes = await parts.source.read(path);
    return (await parts.decoder.decode(bytes, { path, channels: 'mono' })).sampleRate;
  }

  it.each(pcm)('reads only the window of PCM at the target rate: %s', async (path) => {
    const rate = await nativeRate(path);
    const { wholeCalls } = await expectSameWindows(path, rate);
    expect(wholeCalls).toBe(0);
  });

  it('reads a PCM window by position, not the file', async () => {
    const path = 'pcm-fixtures/rf64-s24-1ch.wav';
    const source = countingSource();
    const parts = partsFor(source, await nativeRate(path));
    const windows = new AudioWindows(parts);
    const size = (await source.stat(path)).size;
    const got = await windows.read(path, 100, 50, () => Promise.reject(new Error('not whole')));
    expect(got.length).toBe(50);
    // The header's first bytes (the whole of this small file) and 50 frames of 3 bytes.
    expect(source.rangeBytes).toBe(Math.min(size, 1 << 16) + 150);
    await windows.close();
  });

  it.each(codecs)('streams codec formats from the start, same samples: %s', async (path) => {
    const { wholeCalls } = await expectSameWindows(path, await nativeRate(path));
    expect(wholeCalls).toBe(0);
  });

  it.each([
    ['pcm-fixtures/aiff-s16-2ch.aiff', 8000],
    ['pcm-fixtures/flac-s16-2ch.flac', 22050],
    ['decode-fixtures/burst.opus', 16000],
  ])('resamples through the resampler stream, same samples as whole: %s to %d Hz', async (path, rate) => {
    expect(await nativeRate(path)).not.toBe(rate);
    const { wholeCalls } = await expectSameWindows(path, rate);
    expect(wholeCalls).toBe(0);
  });

  it('falls back to the whole waveform when the resampler cannot stream', async () => {
    const path = 'pcm-fixtures/flac-s16-2ch.flac';
    const rate = 11025;
    const parts = partsFor(fsSource(fixtures), rate);
    const plain = sincResampler();
    parts.resampler = { ...plain, stream: undefined };
    const whole = await loadWaveform(parts, path);
    const windows = new AudioWindows(parts);
    let calls = 0;
    expect(whole.length).toBeGreaterThan(40);
    const got = await windows.read(path, 10, 30, async () => {
      calls++;
      return whole;
    });
    expect(calls).toBe(1);
    expect([...got]).toEqual([...whole.subarray(10, 40)]);
    await windows.close();
  });
});

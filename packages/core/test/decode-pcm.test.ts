import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pcmToChannels, pcmToMono } from '../src/decode/convert-pcm';
import type { PcmLayout } from '../src/decode/pcm-layout';
import { readAiffHeader } from '../src/decode/read-aiff-header';
import { readWavHeader } from '../src/decode/read-wav-header';
import { audioDecodeDecoder, downmix, SpgDecodeError } from '../src/index';

// Fixtures and references come from tools/pcm-fixtures/generate.py: the float32 values soundfile
// (libsndfile) reads, or numpy's x / 2^(bits - 1) where libsndfile cannot read the file (index.json
// says which), and the downmix() mean computed in numpy float32.

interface Entry {
  name: string;
  file: string;
  channels: number;
  sampleRate: number;
  frames: number;
  reference: 'soundfile' | 'numpy';
  offset: number;
  monoOffset: number;
  codec?: boolean;
  ffmpegFrames?: number;
  ffmpegOffset?: number;
}

const here = (path: string) => fileURLToPath(new URL(`./pcm-fixtures/${path}`, import.meta.url));
const read = (path: string) => new Uint8Array(readFileSync(here(path)));
const index = JSON.parse(readFileSync(here('index.json'), 'utf8')) as {
  files: Entry[];
  ramps: { file: string; bits: number; first: number; frames: number }[];
  unsupported: { file: string }[];
};
const blob = read('reference.bin');
const exact = index.files.filter((e) => !e.codec);
const decoder = audioDecodeDecoder();

function f32(byteOffset: number, length: number): Float32Array {
  return new Float32Array(blob.slice(byteOffset, byteOffset + length * 4).buffer);
}

/** Reference channel `c` (the reference is stored interleaved). */
function referenceChannel(entry: Entry, c: number): Float32Array {
  const all = f32(entry.offset, entry.frames * entry.channels);
  return Float32Array.from({ length: entry.frames }, (_, i) => all[i * entry.channels + c]!);
}

/** Indices where two float32 arrays differ bit for bit (so -0 vs +0 and NaN payloads count). */
function bitDifferences(actual: Float32Array, expected: Float32Array): number[] {
  expect(actual.length).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

describe('PCM decoding equals soundfile bit for bit', () => {
  it('has fixtures for every variant', () => {
    expect(exact.length).toBeGreaterThanOrEqual(45);
    const names = exact.map((e) => e.name).join(' ');
    for (const variant of [
      'wav-u8',
      'wav-s16',
      'wav-s24',
      'wav-s32',
      'wav-f32',
      'wav-f64',
      'wavex-',
      'rf64-',
      'rifx-',
    ])
      expect(names).toContain(variant);
    for (const variant of [
      'aiff-s8',
      'aiff-s16',
      'aiff-s24',
      'aiff-s32',
      'aifc-sowt',
      'aifc-fl32',
      'aifc-fl64',
      'aifc-raw',
    ])
      expect(names).toContain(variant);
    for (const variant of [
      'ulaw',
      'alaw',
      'flac-s8',
      'flac-s16',
      'flac-s24',
      'flac-s32',
      'ogg-flac',
      'odd-chunks',
      'zero-sizes',
      'ffmpeg-pipe',
    ])
      expect(names).toContain(variant);
  });

  it.each(exact.map((e) => [e.name, e] as const))('%s: every channel', async (_, entry) => {
    const audio = await decoder.decode(read(entry.file), { path: entry.file });
    expect(audio.sampleRate).toBe(entry.sampleRate);
    expect(audio.channelData.length).toBe(entry.channels);
    for (let c = 0; c < entry.channels; c++)
      expect(bitDifferences(audio.channelData[c]!, referenceChannel(entry, c)), `channel ${c}`).toEqual([]);
  });

  it.each(exact.map((e) => [e.name, e] as const))('%s: mono hint', async (_, entry) => {
    const bytes = read(entry.file);
    const mono = await decoder.decode(bytes, { path: entry.file, channels: 'mono' });
    expect(mono.sampleRate).toBe(entry.sampleRate);
    // WAV/AIFF average while converting (one channel back); FLAC comes back whole (the caller downmixes).
    const isPcm = /\.(wav|aiff)$/.test(entry.file);
    expect(mono.channelData.length).toBe(isPcm ? 1 : entry.channels);
    const expected = f32(entry.monoOffset, entry.frames);
    expect(bitDifferences(downmix(mono.channelData), expected)).toEqual([]);
    // The same as downmix() of the channels decoded without the hint.
    const all = await decoder.decode(bytes, { path: entry.file });
    expect(bitDifferences(downmix(mono.channelData), downmix(all.channelData))).toEqual([]);
  });

  it('the mono mean of a frame whose channels are all -0 is +0, as downmix() gives', async () => {
    const entry = exact.find((e) => e.name === 'wavex-f32-3ch.wav')!;
    const mono = await decoder.decode(read(entry.file), { path: entry.file, channels: 'mono' });
    expect(Object.is(referenceChannel(entry, 0)[1], -0)).toBe(true);
    expect(Object.is(mono.channelData[0]![1], 0)).toBe(true);
  });

  it('every 16-bit value of a FLAC ramp decodes to x / 32768 (the codec alone gives x / 32767)', async () => {
    for (const ramp of index.ramps) {
      const audio = await decoder.decode(read(ramp.file), { path: ramp.file });
      const expected = Float32Array.from(
        { length: ramp.frames },
        (_, i) => (ramp.first + i) / 2 ** (ramp.bits - 1),
      );
      expect(bitDifferences(audio.channelData[0]!, expected)).toEqual([]);
      expect(audio.channelData[0]![0]).toBe(-1);
    }
  });
});

describe('ADPCM in WAV (another decoder: @audio/decode-wav)', () => {
  // Decoders disagree on IMA ADPCM (libsndfile vs ffmpeg: up to 1e-3); ours must equal one of them.
  it.each(index.files.filter((e) => e.codec).map((e) => [e.name, e] as const))(
    '%s equals soundfile or ffmpeg bit for bit',
    async (_, entry) => {
      const audio = await decoder.decode(read(entry.file), { path: entry.file });
      expect(audio.sampleRate).toBe(entry.sampleRate);
      expect(audio.channelData.length).toBe(entry.channels);
      const byFfmpeg = f32(entry.ffmpegOffset!, entry.ffmpegFrames! * entry.channels);
      const matches = (reference: Float32Array, frames: number) =>
        audio.channelData.every((got, c) => {
          const expected = Float32Array.from(
            { length: frames },
            (_, i) => reference[i * entry.channels + c]!,
          );
          return got.length === frames && bitDifferences(got, expected).length === 0;
        });
      const bySoundfile = f32(entry.offset, entry.frames * entry.channels);
      expect(matches(bySoundfile, entry.frames) || matches(byFfmpeg, entry.ffmpegFrames!)).toBe(true);
    },
  );
});

describe('reading frames [a, b) from a byte range', () => {
  const cases: [string, (bytes: Uint8Array, file: string, size: number) => PcmLayout][] = [
    ['wav-s16-3ch.wav', (b, f, s) => readWavHeader(b, f, s) as PcmLayout],
    ['rifx-s24-1ch.wav', (b, f, s) => readWavHeader(b, f, s) as PcmLayout],
    ['wav-f64-2ch.wav', (b, f, s) => readWavHeader(b, f, s) as PcmLayout],
    ['aiff-s24-3ch.aiff', (b, f, s) => readAiffHeader(b, f, s) as PcmLayout],
    ['rf64-s16-2ch.wav', (b, f, s) => readWavHeader(b, f, s) as PcmLayout],
  ];

  it.each(cases)(
    '%s: header from the first bytes, frames 37..151 from their own bytes',
    (file, readHeader) => {
      const entry = exact.find((e) => e.file === file)!;
      const bytes = read(file);
      const layout = readHeader(bytes.subarray(0, 160), file, bytes.length);
      expect([layout.channels, layout.sampleRate, layout.frames]).toEqual([
        entry.channels,
        entry.sampleRate,
        entry.frames,
      ]);
      const frameSize = layout.channels * (layout.bitsPerSample >> 3);
      const [a, b] = [37, 151];
      // A copy at an odd byte offset too: no alignment is assumed.
      const range = bytes.slice(layout.dataOffset + a * frameSize, layout.dataOffset + b * frameSize);
      const odd = new Uint8Array(range.length + 1).subarray(1);
      odd.set(range);
      for (const data of [range, odd]) {
        const channels = Array.from({ length: layout.channels }, () => new Float32Array(b - a + 5));
        expect(pcmToChannels(data, layout, channels, 5)).toBe(b - a);
        for (let c = 0; c < layout.channels; c++)
          expect(bitDifferences(channels[c]!.subarray(5), referenceChannel(entry, c).subarray(a, b))).toEqual(
            [],
          );
        const mono = new Float32Array(b - a);
        expect(pcmToMono(data, layout, mono, 0)).toBe(b - a);
        expect(bitDifferences(mono, f32(entry.monoOffset, entry.frames).subarray(a, b))).toEqual([]);
      }
    },
  );

  it('a trailing partial frame is not converted', () => {
    const layout = readWavHeader(read('wav-s16-2ch.wav'), 'x.wav') as PcmLayout;
    const target = [new Float32Array(3), new Float32Array(3)];
    expect(pcmToChannels(new Uint8Array(4 * 2 + 3), layout, target, 0)).toBe(2);
  });
});

async function decodeError(bytes: Uint8Array, path: string): Promise<SpgDecodeError> {
  try {
    await decoder.decode(bytes, { path });
  } catch (error) {
    expect(SpgDecodeError.isInstance(error)).toBe(true);
    return error as SpgDecodeError;
  }
  throw new Error(`decoding ${path} did not fail`);
}

function ascii(bytes: Uint8Array, text: string): number {
  for (let i = 0; i + text.length <= bytes.length; i++)
    if ([...text].every((ch, k) => bytes[i + k] === ch.charCodeAt(0))) return i;
  throw new Error(`no ${text}`);
}

describe('PCM errors name the file, the format and what would work', () => {
  // Cut 100 bytes out of the data chunk (the odd-chunks file ends with a pad byte and a 14-byte chunk).
  it.each([
    ['rf64-s16-2ch.wav', 'wav', 0, /data chunk declares 800 bytes but only 700 are present/],
    ['aiff-s16-2ch.aiff', 'aiff', 0, /SSND chunk declares 800 bytes but only 700 are present/],
    ['riff-odd-chunks-s24-1ch.wav', 'wav', 15, /data chunk declares 603 bytes but only 503 are present/],
  ])('a truncated %s', async (file, format, trailing, message) => {
    const bytes = read(file);
    const error = await decodeError(bytes.subarray(0, bytes.length - trailing - 100), `cut/${file}`);
    expect([error.code, error.file, error.format]).toEqual(['SPG_DECODE_TRUNCATED', `cut/${file}`, format]);
    expect(error.message).toMatch(message);
  });

  it('a WAV holding GSM 6.10 says so and what would work', async () => {
    const bytes = read('wav-s16-1ch.wav').slice();
    new DataView(bytes.buffer).setUint16(ascii(bytes, 'fmt ') + 8, 0x0031, true);
    const error = await decodeError(bytes, 'gsm.wav');
    expect([error.code, error.file, error.format]).toEqual(['SPG_DECODE_UNSUPPORTED', 'gsm.wav', 'wav']);
    expect(error.message).toContain('"gsm.wav"');
    expect(error.message).toContain('0x0031 (GSM 6.10)');
    expect(error.message).toContain('re-encode it to 16-bit PCM WAV or FLAC');
    expect(error.message).toContain('--on-error skip');
  });

  it('WAVE_FORMAT_EXTENSIBLE with a sub-format that is not PCM or float', async () => {
    const bytes = read('wavex-s16-3ch.wav').slice();
    const guidEnd = ascii(bytes, 'fmt ') + 8 + 24 + 15; // last byte of the sub-format GUID
    bytes[guidEnd] = bytes[guidEnd]! ^ 0xff;
    const error = await decodeError(bytes, 'x.wav');
    expect(error.code).toBe('SPG_DECODE_UNSUPPORTED');
    expect(error.message).toMatch(/sub-format [0-9a-f]{32} is not PCM or IEEE float/);
  });

  it.each(index.unsupported.map((u) => [u.file]))(
    'compressed AIFF-C %s is refused, not decoded wrongly',
    async (file) => {
      const error = await decodeError(read(file), file);
      expect([error.code, error.file, error.format]).toEqual(['SPG_DECODE_UNSUPPORTED', file, 'aiff']);
      expect(error.message).toMatch(
        /AIFF-C compression "(ima4|GSM )" \((IMA4 ADPCM|GSM 6.10)\) is not supported/,
      );
      expect(error.message).toContain("onError: 'skip'");
    },
  );

  it('an AIFF-C compression type we lack', async () => {
    const bytes = read('aifc-sowt-s16-2ch.aiff').slice();
    bytes.set(
      [...'XYZ1'].map((c) => c.charCodeAt(0)),
      ascii(bytes, 'sowt'),
    );
    const error = await decodeError(bytes, 'x.aiff');
    expect([error.code, error.format]).toEqual(['SPG_DECODE_UNSUPPORTED', 'aiff']);
    expect(error.message).toContain('AIFF-C compression "XYZ1" is not supported');
  });

  it('12-bit WAV is read from its 16-bit container; 40-bit integers are refused', async () => {
    const bytes = read('wav-s16-1ch.wav').slice();
    const bitsAt = ascii(bytes, 'fmt ') + 8 + 14;
    new DataView(bytes.buffer).setUint16(bitsAt, 12, true);
    const twelve = await decoder.decode(bytes, { path: 'x.wav' });
    const sixteen = await decoder.decode(read('wav-s16-1ch.wav'), { path: 'y.wav' });
    expect(bitDifferences(twelve.channelData[0]!, sixteen.channelData[0]!)).toEqual([]);
    new DataView(bytes.buffer).setUint16(bitsAt, 40, true);
    expect((await decodeError(bytes, 'x.wav')).code).toBe('SPG_DECODE_UNSUPPORTED');
  });

  it('no fmt chunk, 0 channels, a sample rate of 0', async () => {
    const base = read('wav-s16-2ch.wav');
    const fmt = ascii(base, 'fmt ');
    const noFmt = base.slice();
    noFmt.set(
      [...'junk'].map((c) => c.charCodeAt(0)),
      fmt,
    );
    expect((await decodeError(noFmt, 'a.wav')).message).toContain('no fmt chunk');
    const noChannels = base.slice();
    new DataView(noChannels.buffer).setUint16(fmt + 10, 0, true);
    expect((await decodeError(noChannels, 'b.wav')).message).toContain('0 channels');
    const noRate = base.slice();
    new DataView(noRate.buffer).setUint32(fmt + 12, 0, true);
    expect((await decodeError(noRate, 'c.wav')).message).toContain('sample rate of 0');
  });
});

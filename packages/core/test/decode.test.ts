import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { audioDecodeDecoder, detectAudioFormat, downmix, SpgDecodeError } from '../src/index';

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const fixture = (path: string) => fileURLToPath(new URL(`./decode-fixtures/${path}`, import.meta.url));
const read = (path: string) => new Uint8Array(readFileSync(path));

const decoder = audioDecodeDecoder();

/** First sample whose magnitude passes 0.05 (the burst is a 0.5-amplitude sine starting at sin(0) = 0). */
function onset(x: Float32Array): number {
  return x.findIndex((v) => Math.abs(v) > 0.05);
}

// Expected values come from scripts/generate-samples.mjs, which wrote these files.
describe('audioDecodeDecoder: bundled samples', () => {
  it.each([
    ['samples/formats/burst.wav', 44100, 1, 2],
    ['samples/formats/burst.flac', 44100, 1, 2],
    ['samples/formats/burst.mp3', 44100, 1, 2],
    ['samples/formats/burst.ogg', 44100, 1, 2],
    ['samples/basic/speech/f01_tones.wav', 16000, 1, 4],
    ['samples/basic/speech/f01_gaps.wav', 16000, 1, 6],
    ['samples/basic/speech/m01_tones.flac', 22050, 1, 3.5],
    ['samples/basic/speech/f02_tones.mp3', 44100, 2, 3],
    ['samples/basic/speech/m02_tones.ogg', 48000, 1, 3],
    ['samples/basic/noise/white.wav', 16000, 1, 2.5],
    ['samples/basic/noise/chirp.wav', 16000, 1, 2],
    ['samples/basic/noise/short_quiet.wav', 16000, 1, 1],
  ])('%s: %i Hz, %i channel(s), %f s', async (path, rate, channels, seconds) => {
    const audio = await decoder.decode(read(repo(path)), { path });
    expect(audio.sampleRate).toBe(rate);
    expect(audio.channelData.length).toBe(channels);
    // Gapless decoding gives the source's exact length for every codec here (measured: 0 samples off).
    for (const channel of audio.channelData) expect(channel.length).toBe(Math.round(seconds * rate));
  });

  it('decodes the extra encodings (opus at 48 kHz, AAC in m4a)', async () => {
    const opus = await decoder.decode(read(fixture('burst.opus')), { path: 'burst.opus' });
    expect([opus.sampleRate, opus.channelData.length, opus.channelData[0]!.length]).toEqual([
      48000, 1, 96000,
    ]);
    const m4a = await decoder.decode(read(fixture('burst.m4a')), { path: 'burst.m4a' });
    expect([m4a.sampleRate, m4a.channelData.length, m4a.channelData[0]!.length]).toEqual([44100, 1, 88200]);
  });
});

describe('audioDecodeDecoder: timing matches the annotations', () => {
  // The burst starts at sample 22050 of 44.1 kHz; with sin(0) = 0 the first sample above 0.05 is 22051.
  // Measured onsets (audio-decode 3 / mpg123 gapless): wav 22051, flac 22051 (0 off), mp3 22051 (0 off:
  // LAME delay + padding removed), ogg 22051 (0 off), m4a 22051 (0 off), opus 23998 at 48 kHz
  // = 22048.2 at 44.1 kHz (-2.8 samples, codec pre-echo).
  it('wav onset is at sample 22051', async () => {
    const wav = await decoder.decode(read(repo('samples/formats/burst.wav')), { path: 'burst.wav' });
    expect(onset(wav.channelData[0]!)).toBe(22051);
  });

  it.each([
    ['samples/formats/burst.flac', 0],
    ['samples/formats/burst.mp3', 3],
    ['samples/formats/burst.ogg', 3],
  ])('%s onset lands within %i samples of the wav onset', async (path, tolerance) => {
    const audio = await decoder.decode(read(repo(path)), { path });
    expect(Math.abs(onset(audio.channelData[0]!) - 22051)).toBeLessThanOrEqual(tolerance);
  });

  it.each([
    ['burst.m4a', 3],
    ['burst.opus', 4],
  ])('%s onset lands within %i samples of the wav onset (in 44.1 kHz samples)', async (name, tolerance) => {
    const audio = await decoder.decode(read(fixture(name)), { path: name });
    const at44k = (onset(audio.channelData[0]!) * 44100) / audio.sampleRate;
    expect(Math.abs(at44k - 22051)).toBeLessThanOrEqual(tolerance);
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

describe('audioDecodeDecoder: errors name the file and the format', () => {
  const wav = read(repo('samples/formats/burst.wav'));

  it('a zero-byte file', async () => {
    const error = await decodeError(new Uint8Array(0), 'dir/empty.wav');
    expect(error.code).toBe('SPG_DECODE_EMPTY');
    expect([error.file, error.format]).toEqual(['dir/empty.wav', 'wav']);
    expect(error.message).toContain('"dir/empty.wav"');
    expect(error.message).toContain('0 bytes');
  });

  it('a text file named .wav', async () => {
    const error = await decodeError(new TextEncoder().encode('this is not audio at all'), 'notes.wav');
    expect(error.code).toBe('SPG_DECODE_UNKNOWN_FORMAT');
    expect(error.file).toBe('notes.wav');
    expect(error.message).toContain('"notes.wav"');
    expect(error.message).toContain('text "this is not audi"');
  });

  it('random bytes', async () => {
    const junk = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251);
    const error = await decodeError(junk, 'junk.mp3');
    expect([error.code, error.file, error.format]).toEqual(['SPG_DECODE_UNKNOWN_FORMAT', 'junk.mp3', 'mp3']);
  });

  it('a truncated wav (header promises more data than the file has)', async () => {
    const error = await decodeError(wav.subarray(0, 1000), 'cut.wav');
    expect([error.code, error.file, error.format]).toEqual(['SPG_DECODE_TRUNCATED', 'cut.wav', 'wav']);
    expect(error.message).toMatch(/declares 176400 bytes but only 956 are present/);
  });

  it.each([
    ['samples/formats/burst.flac', 'flac'],
    ['samples/formats/burst.ogg', 'ogg'],
  ])('a truncated %s', async (path, format) => {
    const bytes = read(repo(path)).subarray(0, 2000);
    const error = await decodeError(bytes, `cut.${format}`);
    expect([error.file, error.format]).toEqual([`cut.${format}`, format]);
  });

  it('a corrupt flac (frames overwritten)', async () => {
    const bytes = read(repo('samples/formats/burst.flac')).slice();
    for (let i = 200; i < bytes.length; i++) bytes[i] = 0;
    const error = await decodeError(bytes, 'broken.flac');
    expect([error.code, error.file, error.format]).toEqual(['SPG_DECODE_CORRUPT', 'broken.flac', 'flac']);
  });

  it('an unsupported codec inside a wav (format tag 0x0099)', async () => {
    const bytes = wav.slice();
    new DataView(bytes.buffer).setUint16(20, 0x0099, true);
    const error = await decodeError(bytes, 'odd-codec.wav');
    expect([error.code, error.file, error.format]).toEqual([
      'SPG_DECODE_UNSUPPORTED',
      'odd-codec.wav',
      'wav',
    ]);
    expect(error.message).toContain('"odd-codec.wav"');
  });
});

describe('detectAudioFormat', () => {
  it('reads the magic bytes, not the name', () => {
    expect(detectAudioFormat(read(repo('samples/formats/burst.wav')))).toBe('wav');
    expect(detectAudioFormat(read(repo('samples/formats/burst.flac')))).toBe('flac');
    expect(detectAudioFormat(read(repo('samples/formats/burst.mp3')))).toBe('mp3');
    expect(detectAudioFormat(read(repo('samples/formats/burst.ogg')))).toBe('ogg');
    expect(detectAudioFormat(read(fixture('burst.opus')))).toBe('opus');
    expect(detectAudioFormat(read(fixture('burst.m4a')))).toBe('m4a');
    expect(detectAudioFormat(new TextEncoder().encode('RIFF....AVI LIST'))).toBeUndefined();
    expect(detectAudioFormat(new Uint8Array(0))).toBeUndefined();
  });
});

describe('downmix', () => {
  it('is the mean of the channels', () => {
    const left = Float32Array.of(1, 0.5, -1, 0.25);
    const right = Float32Array.of(0, 0.5, 1, -0.75);
    expect(Array.from(downmix([left, right]))).toEqual([0.5, 0.5, 0, -0.25]);
    const three = downmix([Float32Array.of(3), Float32Array.of(6), Float32Array.of(0)]);
    expect(three[0]).toBeCloseTo(3, 6);
  });

  it('returns a single channel as is and cuts unequal channels to the shortest', () => {
    const mono = Float32Array.of(1, 2, 3);
    expect(downmix([mono])).toBe(mono);
    expect(Array.from(downmix([Float32Array.of(2, 2, 2), Float32Array.of(0, 0)]))).toEqual([1, 1]);
    expect(downmix([]).length).toBe(0);
  });

  it('mixes the stereo mp3 sample (right = 0.5 x left) to 0.75 x left', async () => {
    const audio = await decoder.decode(read(repo('samples/basic/speech/f02_tones.mp3')), { path: 'f02.mp3' });
    const [left, right] = audio.channelData as [Float32Array, Float32Array];
    const mono = downmix(audio.channelData);
    for (let i = 20000; i < 20100; i++) expect(mono[i]).toBeCloseTo((left[i]! + right[i]!) / 2, 6);
  });
});

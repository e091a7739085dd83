// The streaming decoder gives the whole-file decoder's samples bit for bit, whatever the read size,
// for every format and fixture (WAV/AIFF through core's PCM reader; the codecs chunk by chunk).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { concatFloat32 } from '../src/codec/concat-float32';
import { audioDecodeDecoder, type ByteInput, downmix, SpgDecodeError } from '../src/index';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const repo = (path: string) => here(`../../../${path}`);
const decoder = audioDecodeDecoder();

/** A ByteInput over bytes that serves exactly what is asked and records the reads. */
function bytesInput(bytes: Uint8Array, readSize: number): ByteInput & { largest: number } {
  const input = {
    size: bytes.length,
    readSize,
    largest: 0,
    read: async (offset: number, length: number) => {
      input.largest = Math.max(input.largest, length);
      // A fresh copy each time, overwritten on the next call: borrowed bytes must not be kept.
      const copy = bytes.slice(offset, offset + length);
      queueMicrotask(() => {});
      return copy;
    },
  };
  return input;
}

async function streamed(bytes: Uint8Array, path: string, readSize: number, mono: boolean) {
  const channels: Float32Array[][] = [];
  let rate = 0;
  for await (const block of decoder.stream!(
    bytesInput(bytes, readSize),
    mono ? { path, channels: 'mono' } : { path },
  )) {
    rate = block.sampleRate;
    for (const [i, c] of block.channelData.entries()) {
      channels[i] ??= [];
      channels[i].push(c.slice());
    }
  }
  return { channels: channels.map(concatFloat32), rate };
}

const bits = (x: Float32Array) => new Uint32Array(x.buffer, x.byteOffset, x.length);
/** Equal values, +0 and -0 counted equal (a mean of two identical channels turns -0 into +0). */
const sameValues = (a: Float32Array, b: Float32Array) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

const unsupported = new Set(['aifc-gsm-1ch.aiff', 'aifc-ima4-2ch.aiff']);
const files = [
  ...readdirSync(here('./pcm-fixtures'))
    .filter((f) => /\.(wav|aiff|flac|oga)$/.test(f) && !unsupported.has(f))
    .map((f) => here(`./pcm-fixtures/${f}`)),
  ...['burst.wav', 'burst.flac', 'burst.mp3', 'burst.ogg'].map((f) => repo(`samples/formats/${f}`)),
  repo('samples/basic/speech/f02_tones.mp3'),
  repo('samples/basic/speech/m02_tones.ogg'),
  here('./decode-fixtures/burst.opus'),
  here('./decode-fixtures/burst.m4a'),
];

describe('audioDecodeDecoder.stream', () => {
  it.each(files)('%s: mono blocks equal the whole-file mono, for any read size', async (file) => {
    const bytes = new Uint8Array(readFileSync(file));
    const path = file.slice(file.lastIndexOf('/') + 1);
    const whole = await decoder.decode(bytes, { path, channels: 'mono' });
    const expected = downmix(whole.channelData);
    // 1 MiB (one read for these files), a prime, and small reads that cut frames and headers apart
    // (4096 and 13 bytes cut FLAC frame headers of burst.flac, which the FLAC package mishandles).
    const sizes = /\.flac$/.test(path) ? [1 << 20, 4099, 4096, 517, 13, 1] : [1 << 20, 4099, 517];
    for (const readSize of sizes) {
      const { channels, rate } = await streamed(bytes, path, readSize, true);
      expect(rate, `${path} @${readSize}`).toBe(whole.sampleRate);
      expect(channels.length).toBe(1);
      expect(sameValues(channels[0]!, expected), `${path} @${readSize}`).toBe(true);
    }
  });

  it.each(files.filter((f) => /\.(wav|aiff|flac|oga|ogg|opus)$/.test(f)))(
    '%s: channel blocks equal the whole-file channels',
    async (file) => {
      const bytes = new Uint8Array(readFileSync(file));
      const path = file.slice(file.lastIndexOf('/') + 1);
      const whole = await decoder.decode(bytes, { path });
      const { channels } = await streamed(bytes, path, 3001, false);
      expect(channels.length).toBe(whole.channelData.length);
      for (const [i, c] of channels.entries()) expect(bits(c)).toEqual(bits(whole.channelData[i]!));
    },
  );

  it('reads a long WAV in bounded ranges: no read larger than the read size after the header', async () => {
    const frames = 200_000;
    const data = new Uint8Array(44 + frames * 2);
    const view = new DataView(data.buffer);
    const ascii = (at: number, s: string) => {
      for (let i = 0; i < s.length; i++) data[at + i] = s.charCodeAt(i);
    };
    ascii(0, 'RIFF');
    view.setUint32(4, 36 + frames * 2, true);
    ascii(8, 'WAVEfmt ');
    view.setUint32(16, 16, true);
    view.setUint16(20, 1, true);
    view.setUint16(22, 1, true);
    view.setUint32(24, 16000, true);
    view.setUint32(28, 32000, true);
    view.setUint16(32, 2, true);
    view.setUint16(34, 16, true);
    ascii(36, 'data');
    view.setUint32(40, frames * 2, true);
    for (let i = 0; i < frames; i++) view.setInt16(44 + 2 * i, (i * 37) % 30000, true);
    const input = bytesInput(data, 8192);
    let samples = 0;
    for await (const block of decoder.stream!(input, { path: 'long.wav', channels: 'mono' })) {
      expect(block.channelData[0]!.length).toBeLessThanOrEqual(4096);
      samples += block.channelData[0]!.length;
    }
    expect(samples).toBe(frames);
    expect(input.largest).toBeLessThanOrEqual(1 << 16); // the header read; data reads are 8192
  });

  it('fails like decode: empty, unknown content, truncated data', async () => {
    const run = async (bytes: Uint8Array, path: string) => {
      try {
        for await (const _ of decoder.stream!(bytesInput(bytes, 1024), { path, channels: 'mono' })) {
        }
      } catch (error) {
        return error;
      }
    };
    const empty = await run(new Uint8Array(0), 'a.wav');
    expect(SpgDecodeError.isInstance(empty) && empty.code).toBe('SPG_DECODE_EMPTY');
    const text = await run(new TextEncoder().encode('hello, this is not audio'), 'a.wav');
    expect(SpgDecodeError.isInstance(text) && text.code).toBe('SPG_DECODE_UNKNOWN_FORMAT');
    const wav = new Uint8Array(readFileSync(repo('samples/formats/burst.wav')));
    const cut = await run(wav.subarray(0, 1000), 'cut.wav');
    expect(SpgDecodeError.isInstance(cut) && cut.code).toBe('SPG_DECODE_TRUNCATED');
  });
  it('reuses its block arrays from one stream to the next; two streams at once never share them', async () => {
    const own = audioDecodeDecoder();
    const file = repo('samples/formats/burst.wav');
    const bytes = new Uint8Array(readFileSync(file));
    const expected = downmix((await own.decode(bytes, { path: 'burst.wav', channels: 'mono' })).channelData);
    const firstBlock = async () => {
      for await (const block of own.stream!(bytesInput(bytes, 1 << 20), {
        path: 'burst.wav',
        channels: 'mono',
      }))
        return block.channelData[0]!;
      throw new Error('no block');
    };
    const a = await firstBlock();
    const b = await firstBlock();
    expect(b.buffer).toBe(a.buffer);
    // Interleaved: each stream's blocks stay its own and equal the whole-file decode.
    const one = own.stream!(bytesInput(bytes, 4099), { path: 'burst.wav', channels: 'mono' })[
      Symbol.asyncIterator
    ]();
    const two = own.stream!(bytesInput(bytes, 4099), { path: 'burst.wav', channels: 'mono' })[
      Symbol.asyncIterator
    ]();
    const got: [number[], number[]] = [[], []];
    for (;;) {
      const [x, y] = [await one.next(), await two.next()];
      if (x.done || y.done) {
        expect(x.done && y.done).toBe(true);
        break;
      }
      expect(x.value.channelData[0]!.buffer).not.toBe(y.value.channelData[0]!.buffer);
      got[0].push(...x.value.channelData[0]!);
      got[1].push(...y.value.channelData[0]!);
    }
    expect(sameValues(Float32Array.from(got[0]), expected)).toBe(true);
    expect(sameValues(Float32Array.from(got[1]), expected)).toBe(true);
  });
});

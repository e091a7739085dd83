import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audioDecodeDecoder } from '../src/decode/audio-decode-decoder';
import { SpgDecodeError } from '../src/index';

// Fuzzing of the WAV path through the default decoder: random bytes behind a RIFF/WAVE header, random
// header fields and truncations. Each case must decode to usable audio or throw an SpgDecodeError
// naming the file, within a per-case time limit (no hang).

const PER_CASE_MS = 2000;
const decoder = audioDecodeDecoder();

interface Header {
  format: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bits: number;
  fmtSize: number;
  dataSize: number;
}

function wavWith(h: Header, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(44 + payload.length);
  const v = new DataView(out.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  text(0, 'RIFF');
  v.setUint32(4, 36 + payload.length, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, h.fmtSize, true);
  v.setUint16(20, h.format, true);
  v.setUint16(22, h.channels, true);
  v.setUint32(24, h.sampleRate, true);
  v.setUint32(28, h.byteRate, true);
  v.setUint16(32, h.blockAlign, true);
  v.setUint16(34, h.bits, true);
  text(36, 'data');
  v.setUint32(40, h.dataSize, true);
  out.set(payload, 44);
  return out;
}

async function decodeChecked(bytes: Uint8Array): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((done) => {
    timer = setTimeout(() => done('timeout'), PER_CASE_MS);
  });
  let outcome: unknown;
  try {
    outcome = await Promise.race([decoder.decode(bytes, { path: 'fuzz/case.wav' }), timeout]);
  } catch (error) {
    expect(SpgDecodeError.isInstance(error), String(error)).toBe(true);
    expect((error as SpgDecodeError).file).toBe('fuzz/case.wav');
    return;
  } finally {
    clearTimeout(timer);
  }
  expect(outcome, 'decode did not finish in time').not.toBe('timeout');
  const audio = outcome as { channelData: Float32Array[]; sampleRate: number };
  expect(audio.channelData.length).toBeGreaterThan(0);
  expect(audio.sampleRate).toBeGreaterThan(0);
  const n = audio.channelData[0]!.length;
  expect(n).toBeGreaterThan(0);
  for (const channel of audio.channelData) expect(channel.length).toBe(n);
}

const header = fc.record({
  format: fc.oneof(fc.constantFrom(1, 3, 6, 7, 0xfffe), fc.integer({ min: 0, max: 0xffff })),
  channels: fc.oneof(fc.constantFrom(1, 2), fc.integer({ min: 0, max: 0xffff })),
  sampleRate: fc.oneof(fc.constantFrom(8000, 16000, 44100), fc.nat(0xffffffff)),
  byteRate: fc.nat(0xffffffff),
  blockAlign: fc.oneof(fc.constantFrom(1, 2, 4), fc.integer({ min: 0, max: 0xffff })),
  bits: fc.oneof(fc.constantFrom(8, 16, 24, 32), fc.integer({ min: 0, max: 0xffff })),
  fmtSize: fc.oneof(fc.constant(16), fc.nat(0xffffffff)),
  dataSize: fc.oneof(fc.nat(4096), fc.nat(0xffffffff)),
});

describe('fuzz: WAV through the default decoder', () => {
  it('random header fields and payloads', async () => {
    await fc.assert(
      fc.asyncProperty(header, fc.uint8Array({ maxLength: 2048 }), (h, payload) =>
        decodeChecked(wavWith(h, payload)),
      ),
      { numRuns: 800 },
    );
  });

  it('a valid 16-bit file cut at any length, or with bytes overwritten', async () => {
    const valid = wavWith(
      {
        format: 1,
        channels: 2,
        sampleRate: 16000,
        byteRate: 64000,
        blockAlign: 4,
        bits: 16,
        fmtSize: 16,
        dataSize: 4000,
      },
      Uint8Array.from({ length: 4000 }, (_, i) => (i * 37) & 0xff),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat(valid.length),
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.nat(255)), { maxLength: 6 }),
        (cut, edits) => {
          const bytes = valid.slice(0, cut);
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          return decodeChecked(bytes);
        },
      ),
      { numRuns: 800 },
    );
  });

  it('random bytes after a RIFF/WAVE prefix', async () => {
    const prefix = new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVE');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), (rest) => {
        const bytes = new Uint8Array(prefix.length + rest.length);
        bytes.set(prefix);
        bytes.set(rest, prefix.length);
        return decodeChecked(bytes);
      }),
      { numRuns: 600 },
    );
  });
});

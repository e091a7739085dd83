import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audioDecodeDecoder } from '../src/decode/audio-decode-decoder';
import { SpgDecodeError } from '../src/index';

// Fuzzing of the AIFF/AIFF-C and RF64 paths of the default decoder: valid files cut at any length
// or with bytes overwritten, and random bytes behind the magic. Each case must decode to usable audio
// or throw an SpgDecodeError naming the file (no other exception, no hang).

const decoder = audioDecodeDecoder();
const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`./pcm-fixtures/${name}`, import.meta.url))));

async function decodeChecked(bytes: Uint8Array, path: string, mono = false): Promise<void> {
  let audio: Awaited<ReturnType<typeof decoder.decode>>;
  try {
    audio = await decoder.decode(bytes, mono ? { path, channels: 'mono' } : { path });
  } catch (error) {
    expect(SpgDecodeError.isInstance(error), String(error)).toBe(true);
    expect((error as SpgDecodeError).file).toBe(path);
    return;
  }
  expect(audio.channelData.length).toBeGreaterThan(0);
  expect(audio.sampleRate).toBeGreaterThan(0);
  const n = audio.channelData[0]!.length;
  expect(n).toBeGreaterThan(0);
  for (const channel of audio.channelData) expect(channel.length).toBe(n);
}

describe('fuzz: AIFF, AIFF-C and RF64 through the default decoder', () => {
  it.each(['aifc-sowt-s16-2ch.aiff', 'aiff-s24-3ch.aiff', 'aifc-fl64-3ch.aiff', 'rf64-s16-2ch.wav'])(
    '%s cut at any length, or with bytes overwritten',
    async (name) => {
      const valid = fixture(name);
      await fc.assert(
        fc.asyncProperty(
          fc.nat(valid.length),
          fc.array(fc.tuple(fc.nat(Math.min(valid.length - 1, 120)), fc.nat(255)), { maxLength: 6 }),
          fc.boolean(),
          (cut, edits, mono) => {
            const bytes = valid.slice(0, cut);
            for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
            return decodeChecked(bytes, `fuzz/${name}`, mono);
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it('random bytes after a FORM/AIFC prefix', async () => {
    const prefix = new TextEncoder().encode('FORM\u0000\u0000\u0000\u0000AIFC');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), (rest) => {
        const bytes = new Uint8Array(prefix.length + rest.length);
        bytes.set(prefix);
        bytes.set(rest, prefix.length);
        return decodeChecked(bytes, 'fuzz/case.aiff');
      }),
      { numRuns: 600 },
    );
  });
});

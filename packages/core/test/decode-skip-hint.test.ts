// Every SpgDecodeError, whoever raises it, tells the user how to go on without the file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type AudioDecoder,
  audioDecodeDecoder,
  type GeneratorParts,
  loadWaveform,
  SpgDecodeError,
  sincResampler,
  spgErrorFromJSON,
} from '../src/index';
import { fakeSource } from './dataset-fakes';

const read = (path: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../${path}`, import.meta.url))));
const wav = read('samples/formats/burst.wav');
const flac = read('samples/formats/burst.flac');

async function failure(run: () => Promise<unknown>): Promise<SpgDecodeError> {
  try {
    await run();
  } catch (error) {
    expect(SpgDecodeError.isInstance(error), String(error)).toBe(true);
    return error as SpgDecodeError;
  }
  throw new Error('expected an SpgDecodeError');
}

const decode = (bytes: Uint8Array, path: string) => () => audioDecodeDecoder().decode(bytes, { path });

/** loadWaveform with a custom decoder (the generator wraps what it throws). */
const withDecoder = (decoder: AudioDecoder) => () =>
  loadWaveform(
    {
      source: fakeSource({ 'a.wav': new Uint8Array(8) }),
      decoder,
      resampler: sincResampler(),
      sampleRate: 16000,
    } as unknown as GeneratorParts,
    'a.wav',
  );
const custom = (decode: AudioDecoder['decode']): AudioDecoder => ({
  kind: 'decoder',
  id: 'test/custom',
  options: null,
  decode,
});

const unsupported = wav.slice();
new DataView(unsupported.buffer).setUint16(20, 0x0099, true);
const corrupt = flac.slice();
corrupt.fill(0, 200);

describe.each([
  ['SPG_DECODE_EMPTY', decode(new Uint8Array(0), 'empty.wav')],
  ['SPG_DECODE_UNKNOWN_FORMAT', decode(new TextEncoder().encode('not audio at all, just text'), 'notes.wav')],
  ['SPG_DECODE_TRUNCATED', decode(wav.subarray(0, 1000), 'cut.wav')],
  ['SPG_DECODE_CORRUPT', decode(corrupt, 'broken.flac')],
  ['SPG_DECODE_UNSUPPORTED', decode(unsupported, 'odd.wav')],
  [
    'SPG_DECODE_FAILED',
    withDecoder(
      custom(async () => {
        throw new Error('the custom decoder gave up');
      }),
    ),
  ],
  ['SPG_DECODE_NO_CHANNELS', withDecoder(custom(async () => ({ channelData: [], sampleRate: 16000 })))],
])('%s', (code, run) => {
  it("names onError: 'skip' and --on-error skip exactly once, also after a JSON round trip", async () => {
    const error = await failure(run);
    expect(error.code).toBe(code);
    for (const message of [error.message, spgErrorFromJSON(error.toJSON()).message]) {
      expect(message.split("onError: 'skip'").length - 1, message).toBe(1);
      expect(message).toContain('--on-error skip');
    }
  });
});

it('a decode error raised by a plugin itself gets the hint too', () => {
  const error = new SpgDecodeError('SPG_DECODE_CORRUPT', 'x.ogg: bad page', { file: 'x.ogg', format: 'ogg' });
  expect(error.message).toBe(
    "x.ogg: bad page. To leave undecodable files out instead of stopping, use onError: 'skip' (CLI: --on-error skip).",
  );
});

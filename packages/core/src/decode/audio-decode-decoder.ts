import * as v from 'valibot';
import type { AudioDecoder, DecodedAudio } from '../contracts/audio-decoder';
import type { PluginDefinition } from '../contracts/plugin-definition';
import { SpgDecodeError } from '../errors/spg-decode-error';
import { detectAudioFormat } from './detect-audio-format';
import { wavTruncation } from './wav-data-check';

const id = 'core/audio-decode';

type DecodeFunction = typeof import('audio-decode').default;
let decodeModule: Promise<DecodeFunction> | undefined;

/**
 * `audio-decode` is ESM-only: loading it with `import()` (kept as is in the CJS build) lets the
 * CommonJS build of core decode too, and defers its codecs until the first file is decoded.
 */
function loadDecode(): Promise<DecodeFunction> {
  decodeModule ??= import('audio-decode').then((m) => m.default);
  return decodeModule;
}

function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 || dot < path.lastIndexOf('/') ? '' : path.slice(dot + 1).toLowerCase();
}

/** The first bytes, shown in errors: as text when they look like text, else as hex. */
function preview(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 16);
  const printable = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  if (printable) return `text ${JSON.stringify(new TextDecoder().decode(head))}`;
  return `bytes ${[...head].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

function fail(code: string, path: string, format: string, why: string, cause?: unknown): never {
  throw new SpgDecodeError(
    code,
    `Could not decode "${path}" (${format}): ${why}`,
    { file: path, format },
    {
      cause,
    },
  );
}

/**
 * Checks the decoder's output is usable audio: at least one channel, equal lengths, a positive
 * sample rate and some samples (corrupt FLAC/Ogg data decodes to nothing rather than throwing).
 */
function checkDecoded(audio: DecodedAudio, path: string, format: string): DecodedAudio {
  const channels = audio?.channelData ?? [];
  if (channels.length === 0 || !(audio.sampleRate > 0))
    fail('SPG_DECODE_CORRUPT', path, format, 'no audio could be decoded (corrupt or truncated data?)');
  const length = channels[0]!.length;
  if (length === 0)
    fail('SPG_DECODE_CORRUPT', path, format, 'decoded to 0 samples (corrupt or truncated data?)');
  if (channels.some((c) => c.length !== length)) {
    // Keep the common part rather than misalign channels.
    const n = Math.min(...channels.map((c) => c.length));
    return { channelData: channels.map((c) => c.subarray(0, n)), sampleRate: audio.sampleRate };
  }
  return { channelData: channels, sampleRate: audio.sampleRate };
}

/**
 * The default decoder, on the `audio-decode` package (wav, mp3, flac, ogg/vorbis, opus, m4a/aac,
 * aiff, caf, qoa, webm...; WASM codecs, works in browsers). The format is detected from the
 * content's magic bytes; the extension only words the error when nothing matches. MP3 goes through
 * mpg123 with gapless decoding, which removes the encoder delay and padding named in the LAME/Xing
 * header, so a tone at sample k of the source stays at sample k (see test/decode-timing.test.ts).
 * Failures are `SpgDecodeError`s naming the file and the format: `SPG_DECODE_EMPTY` (0 bytes),
 * `SPG_DECODE_UNKNOWN_FORMAT` (no known magic bytes), `SPG_DECODE_TRUNCATED`, `SPG_DECODE_CORRUPT`,
 * `SPG_DECODE_UNSUPPORTED` (a codec variant the library lacks).
 *
 * @example
 * const { channelData, sampleRate } = await audioDecodeDecoder().decode(bytes, { path: 'a.mp3' });
 */
export function audioDecodeDecoder(): AudioDecoder {
  return {
    kind: 'decoder',
    id,
    options: {},
    async decode(bytes, { path }) {
      const hint = extensionOf(path) || 'unknown';
      if (bytes.byteLength === 0) fail('SPG_DECODE_EMPTY', path, hint, 'the file is empty (0 bytes)');
      const format = detectAudioFormat(bytes);
      if (!format) {
        fail(
          'SPG_DECODE_UNKNOWN_FORMAT',
          path,
          hint,
          `its content is not a known audio format (starts with ${preview(bytes)}); the file may be corrupt or not audio`,
        );
      }
      if (format === 'wav') {
        const truncated = wavTruncation(bytes);
        if (truncated) fail('SPG_DECODE_TRUNCATED', path, format, truncated);
      }
      let audio: DecodedAudio;
      try {
        audio = await (await loadDecode())(bytes);
      } catch (cause) {
        const message = (cause as Error)?.message ?? String(cause);
        const code = /unsupported/i.test(message) ? 'SPG_DECODE_UNSUPPORTED' : 'SPG_DECODE_CORRUPT';
        fail(code, path, format, message, cause);
      }
      return checkDecoded(audio, path, format);
    },
  };
}

/** Registry definition of `audioDecodeDecoder` (no options: `{ "use": "core/audio-decode" }`). */
const optionsSchema = v.strictObject({});

export const audioDecodeDecoderDefinition: PluginDefinition<
  'decoder',
  v.InferOutput<typeof optionsSchema>
> = {
  kind: 'decoder',
  id,
  module: '@spgdataset/core',
  schema: optionsSchema,
  create: () => audioDecodeDecoder(),
};

import * as v from 'valibot';
import type { AudioDecoder, DecodedAudio } from '../contracts/audio-decoder';
import type { PluginDefinition } from '../contracts/plugin-definition';
import { CORE_DECODER_ID } from './core-decoder-id';
import { decodeFailure, REENCODE_HINT } from './decode-failure';
import { decodePcm } from './decode-pcm';
import { type CodecName, decodeWithCodec } from './decode-with-codec';
import { flacBitsPerSample, rescaleFlac } from './flac-scaling';
import { requireAudioFormat } from './require-audio-format';
import { SpareChannels } from './spare-channels';
import { streamDecode, streamPieces } from './stream-decode';

const id = CORE_DECODER_ID;

/**
 * Checks the decoder's output is usable audio: at least one channel, equal lengths, a positive
 * sample rate and some samples (corrupt FLAC/Ogg data decodes to nothing rather than throwing).
 */
function checkDecoded(audio: DecodedAudio, path: string, format: string): DecodedAudio {
  const channels = audio?.channelData ?? [];
  if (channels.length === 0 || !(audio.sampleRate > 0))
    decodeFailure(
      'SPG_DECODE_CORRUPT',
      path,
      format,
      'no audio could be decoded (corrupt or truncated data?)',
    );
  const length = channels[0]!.length;
  if (length === 0)
    decodeFailure('SPG_DECODE_CORRUPT', path, format, 'decoded to 0 samples (corrupt or truncated data?)');
  if (channels.some((c) => c.length !== length)) {
    // Keep the common part rather than misalign channels.
    const n = Math.min(...channels.map((c) => c.length));
    return { channelData: channels.map((c) => c.subarray(0, n)), sampleRate: audio.sampleRate };
  }
  return { channelData: channels, sampleRate: audio.sampleRate };
}

/** Runs a codec package, turning its failures into `SpgDecodeError`s naming the file. */
async function viaCodec(
  codec: CodecName,
  bytes: Uint8Array,
  path: string,
  format: string,
): Promise<DecodedAudio> {
  try {
    return await decodeWithCodec(codec, bytes);
  } catch (cause) {
    const message = (cause as Error)?.message ?? String(cause);
    if (/unsupported/i.test(message))
      decodeFailure('SPG_DECODE_UNSUPPORTED', path, format, `${message}; ${REENCODE_HINT}`, cause);
    decodeFailure('SPG_DECODE_CORRUPT', path, format, message, cause);
  }
}

/**
 * The default decoder. WAV (RIFF, RIFX, RF64/BW64, WAVE_FORMAT_EXTENSIBLE) and AIFF/AIFF-C holding
 * PCM are read by core itself, exactly as libsndfile, ffmpeg and soundfile read them: integers
 * x / 2^(bits - 1) for both signs (8-bit WAV: (x - 128) / 128), floats as stored (float64 rounded to
 * float32), G.711 mu-law/A-law expanded to 16 bits; converted straight into the output, and with
 * `channels: 'mono'` averaged while converting (equal to `downmix()` bit for bit). Other formats go
 * to the `@audio/decode-*` codec packages (WASM, browser-safe): mp3, flac, ogg/vorbis, opus,
 * m4a/aac, caf, qoa, webm, and MS/IMA ADPCM in WAV. FLAC integers are rescaled to
 * x / 2^(bits - 1) (the codec divides by 2^(bits - 1) - 1). The format is detected from the
 * content's magic bytes; the extension only words the error when nothing matches. MP3 goes through
 * mpg123 with gapless decoding, which removes the encoder delay and padding named in the LAME/Xing
 * header, so a tone at sample k of the source stays at sample k (see test/decode.test.ts).
 * `stream` decodes the same audio piece by piece in bounded memory (`streamDecode`); `pieces` cuts
 * PCM and native FLAC files into ranges that threads can decode at once.
 * Failures are `SpgDecodeError`s naming the file and the format: `SPG_DECODE_EMPTY` (0 bytes),
 * `SPG_DECODE_UNKNOWN_FORMAT` (no known magic bytes), `SPG_DECODE_TRUNCATED`, `SPG_DECODE_CORRUPT`,
 * `SPG_DECODE_UNSUPPORTED` (a codec variant we lack; the message says what would work).
 *
 * @example
 * const { channelData, sampleRate } = await audioDecodeDecoder().decode(bytes, { path: 'a.mp3' });
 */
export function audioDecodeDecoder(): AudioDecoder {
  const spare = new SpareChannels();
  return {
    kind: 'decoder',
    id,
    options: {},
    // 2: integer PCM scaled exactly by 2^(bits-1) (WAV/AIFF in core, FLAC corrected); 1 was audio-decode's.
    version: 2,
    async decode(bytes, { path, channels, output }) {
      const format = requireAudioFormat(bytes, bytes.byteLength, path);
      let audio: DecodedAudio;
      if (format === 'wav' || format === 'aiff') {
        const pcm = decodePcm(bytes, path, format, channels === 'mono', output);
        audio = 'compressed' in pcm ? await viaCodec('wav-compressed', bytes, path, format) : pcm;
      } else {
        audio = await viaCodec(format, bytes, path, format);
        if (format === 'flac') {
          const bits = flacBitsPerSample(bytes);
          if (bits) rescaleFlac(audio.channelData, bits);
        }
      }
      return checkDecoded(audio, path, format);
    },
    stream: (input, ctx) => streamDecode(input, ctx, spare),
    pieces: (input, ctx, bytes) => streamPieces(input, ctx, bytes),
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

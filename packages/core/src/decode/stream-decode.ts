import type { ByteInput, ByteRange, DecodeContext, DecodedAudio } from '../contracts/audio-decoder';
import { SpgError } from '../errors/spg-error';
import { pcmToChannels, pcmToMono } from './convert-pcm';
import { decodeFailure, REENCODE_HINT } from './decode-failure';
import { CODECS, type CodecInstance, type CodecModule, type CodecName, samplesOf } from './decode-with-codec';
import { type AudioFormat, afterId3 } from './detect-audio-format';
import { flacAudioStart, flacFrameCuts } from './flac-frame-cuts';
import { flacBitsPerSample, rescaleFlac } from './flac-scaling';
import { MonoMixer } from './mono-mixer';
import { type CompressedLayout, frameBytes, type PcmLayout } from './pcm-layout';
import { readAiffHeader } from './read-aiff-header';
import { readWavHeader } from './read-wav-header';
import { requireAudioFormat } from './require-audio-format';
import { DEFAULT_READ_BYTES } from './source-byte-input';
import type { SpareChannels } from './spare-channels';

/** Bytes read first: the header of nearly every file, and enough to recognise the format. */
const HEAD_BYTES = 1 << 16;
/** Largest header prefix tried before the whole file (a WAV with a huge chunk before its data). */
const HEAD_GROWTH = 16;
/** Longest FLAC frame header: sync (2), block size and rate (1), channels (1), number (up to 7), sizes (4), CRC-8 (1). */
const FLAC_HEADER_BYTES = 16;

/**
 * The streaming form of `audioDecodeDecoder().decode` (see `AudioDecoder.stream`): WAV and AIFF PCM
 * are read by core in ranges of `input.readSize` bytes (positional reads, one block of frames at a
 * time), the other formats are fed to their codec package chunk by chunk (`decode(chunk)`, then
 * `flush()`), so memory is one chunk and its samples whatever the file's length. The blocks joined
 * equal `decode` (bit for bit; with `channels: 'mono'` their mean as `downmix()` computes it).
 * Without the mono hint, MP3/AAC/M4A blocks keep the codec's two identical channels for a mono
 * source (`decode` collapses them into one).
 */
export async function* streamDecode(
  input: ByteInput,
  ctx: DecodeContext,
  spare?: SpareChannels,
): AsyncGenerator<DecodedAudio> {
  const { path } = ctx;
  const mono = ctx.channels === 'mono';
  const readSize = Math.max(1, Math.floor(input.readSize ?? DEFAULT_READ_BYTES));
  const range = ctx.range ?? { start: 0, end: input.size };
  const head = await readHead(input);
  const format = requireAudioFormat(head, input.size, path);
  if (format === 'wav' || format === 'aiff') {
    const layout = await readLayout(input, head, path, format);
    if ('compressed' in layout)
      yield* codecBlocks('wav-compressed', input, head, path, format, mono, readSize, range);
    else yield* pcmBlocks(input, layout, path, mono, readSize, spare);
  } else {
    yield* codecBlocks(format, input, head, path, format, mono, readSize, range);
  }
}

/** The file's first bytes (a copy: the input's buffers are borrowed until its next read). */
async function readHead(input: ByteInput): Promise<Uint8Array> {
  return input.size === 0
    ? new Uint8Array(0)
    : (await input.read(0, Math.min(input.size, HEAD_BYTES))).slice();
}

/**
 * `audioDecodeDecoder().pieces` (see `AudioDecoder.pieces`): native FLAC is cut between its frames
 * (found and verified by `flacFrameCuts`). Other formats are not cut: MP3/Vorbis/Opus/AAC frames
 * depend on the ones before, and PCM reads faster than its samples can be handed to another thread
 * (a 1-hour 16 kHz WAV at numWorkers 2 built in 0.84-0.88 s uncut, 1.03-1.23 s cut into pieces).
 */
export async function streamPieces(
  input: ByteInput,
  ctx: DecodeContext,
  bytes: number,
): Promise<ByteRange[] | undefined> {
  if (!(bytes > 0) || input.size <= bytes) return undefined;
  const head = await readHead(input);
  if (requireAudioFormat(head, input.size, ctx.path) !== 'flac') return undefined;
  const audioStart = flacAudioStart(head, afterId3(head));
  return audioStart === undefined ? undefined : flacFrameCuts(input, audioStart, bytes);
}

/** The PCM layout from the file's first bytes, reading a longer prefix when the header needs it. */
export async function readLayout(
  input: ByteInput,
  head: Uint8Array,
  path: string,
  format: 'wav' | 'aiff',
): Promise<PcmLayout | CompressedLayout> {
  let prefix = head;
  for (;;) {
    try {
      return format === 'wav'
        ? readWavHeader(prefix, path, input.size)
        : readAiffHeader(prefix, path, input.size);
    } catch (error) {
      // A chunk walk that ran off the prefix before the data chunk: look further.
      const noData = SpgError.isInstance(error) && error.code === 'SPG_DECODE_TRUNCATED';
      if (!noData || prefix.length >= input.size) throw error;
      const length = prefix.length >= HEAD_BYTES * HEAD_GROWTH ? input.size : prefix.length * HEAD_GROWTH;
      prefix = (await input.read(0, Math.min(input.size, length))).slice();
    }
  }
}

async function* pcmBlocks(
  input: ByteInput,
  layout: PcmLayout,
  path: string,
  mono: boolean,
  readSize: number,
  spare: SpareChannels | undefined,
): AsyncGenerator<DecodedAudio> {
  if (layout.frames === 0)
    decodeFailure(
      'SPG_DECODE_CORRUPT',
      path,
      layout.container,
      'decoded to 0 samples (corrupt or truncated data?)',
    );
  const stride = frameBytes(layout);
  const blockFrames = Math.max(1, Math.floor(readSize / stride));
  const capacity = Math.min(blockFrames, layout.frames);
  const count = mono ? 1 : layout.channels;
  const channels =
    spare?.take(count, capacity) ?? Array.from({ length: count }, () => new Float32Array(capacity));
  const { sampleRate } = layout;
  // Blocks are borrowed until the next is asked for, so the arrays are free once the loop is left.
  try {
    for (let first = 0; first < layout.frames; first += blockFrames) {
      const frames = Math.min(blockFrames, layout.frames - first);
      const bytes = await input.read(layout.dataOffset + first * stride, frames * stride);
      const got = Math.floor(bytes.length / stride);
      if (got < frames)
        decodeFailure(
          'SPG_DECODE_TRUNCATED',
          path,
          layout.container,
          `only ${first + got} of the ${layout.frames} frames its header declares could be read (the file shrank while being read?)`,
        );
      if (mono) pcmToMono(bytes, layout, channels[0]!, 0);
      else pcmToChannels(bytes, layout, channels, 0);
      yield { channelData: channels.map((c) => c.subarray(0, got)), sampleRate };
    }
  } finally {
    spare?.give(channels);
  }
}

async function* codecBlocks(
  codec: CodecName,
  input: ByteInput,
  head: Uint8Array,
  path: string,
  format: AudioFormat,
  mono: boolean,
  readSize: number,
  range: ByteRange,
): AsyncGenerator<DecodedAudio> {
  const failed = (cause: unknown): never => {
    const message = (cause as Error)?.message ?? String(cause);
    if (/unsupported/i.test(message))
      decodeFailure('SPG_DECODE_UNSUPPORTED', path, format, `${message}; ${REENCODE_HINT}`, cause);
    decodeFailure('SPG_DECODE_CORRUPT', path, format, message, cause);
  };
  let instance: CodecInstance;
  try {
    instance = await ((await CODECS[codec].load()) as CodecModule).decoder();
  } catch (cause) {
    return failed(cause);
  }
  const bits = format === 'flac' ? flacBitsPerSample(head) : undefined;
  const mixer = new MonoMixer();
  let sampleRate = 0;
  let total = 0;
  const block = (result: { channelData: Float32Array[]; sampleRate: number }): DecodedAudio => {
    if (!(result.sampleRate > 0) || (sampleRate !== 0 && result.sampleRate !== sampleRate))
      decodeFailure(
        'SPG_DECODE_CORRUPT',
        path,
        format,
        `its sample rate is ${result.sampleRate} Hz after ${sampleRate} Hz (a stream that changes rate is not supported)`,
      );
    sampleRate = result.sampleRate;
    let channels = result.channelData;
    const n = Math.min(...channels.map((c) => c.length));
    if (channels.some((c) => c.length !== n)) channels = channels.map((c) => c.subarray(0, n));
    if (bits) rescaleFlac(channels, bits);
    total += n;
    return { channelData: mono ? [mixer.mix(channels)] : channels, sampleRate };
  };
  // FLAC: the bytes of a frame header that a piece's end would cut, kept for the next piece.
  let carried: Uint8Array | undefined;
  try {
    for (let offset = range.start; offset < range.end; offset += readSize) {
      // A copy: a codec may keep the bytes of a frame cut at the chunk's end for the next call.
      let bytes: Uint8Array = (await input.read(offset, Math.min(readSize, range.end - offset))).slice();
      if (carried) {
        bytes = concatBytes(carried, bytes);
        carried = undefined;
      }
      if (format === 'flac' && offset + readSize < range.end) {
        const end = flacSafeEnd(bytes);
        if (end < bytes.length) {
          carried = bytes.slice(end);
          bytes = bytes.subarray(0, end);
        }
      }
      let result: ReturnType<typeof samplesOf>;
      try {
        result = samplesOf(await instance.decode(bytes));
      } catch (cause) {
        return failed(cause);
      }
      if (result) yield block(result);
    }
    let tail: ReturnType<typeof samplesOf>;
    try {
      tail = samplesOf(instance.flush ? await instance.flush() : undefined);
    } catch (cause) {
      return failed(cause);
    }
    if (tail) yield block(tail);
  } finally {
    instance.free?.();
  }
  if (total === 0)
    decodeFailure('SPG_DECODE_CORRUPT', path, format, 'decoded to 0 samples (corrupt or truncated data?)');
}

/**
 * Where a piece of a FLAC stream may end: before a possible frame sync code (0xFF then 0xF8/0xF9,
 * or 0xFF as the last byte) in its last `FLAC_HEADER_BYTES` bytes, else at its end. The FLAC
 * package's frame splitter misses a frame whose header is cut between two pieces (it then drops
 * frames: a 10-minute file fed 64 KiB at a time lost 9216 samples); a header is never cut this way.
 */
function flacSafeEnd(bytes: Uint8Array): number {
  for (let i = Math.max(0, bytes.length - FLAC_HEADER_BYTES); i < bytes.length; i++)
    if (bytes[i] === 0xff && (i + 1 === bytes.length || (bytes[i + 1]! & 0xfe) === 0xf8)) return i;
  return bytes.length;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

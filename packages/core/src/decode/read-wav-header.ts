import { decodeFailure, REENCODE_HINT } from './decode-failure';
import type { CompressedLayout, PcmEncoding, PcmLayout } from './pcm-layout';

/** Names of common non-PCM WAVE format tags, for the error message. */
const TAG_NAMES: Record<number, string> = {
  2: 'MS ADPCM',
  17: 'IMA ADPCM',
  49: 'GSM 6.10',
  64: 'G.721 ADPCM',
  80: 'MPEG audio',
  85: 'MPEG Layer 3',
  146: 'Dolby AC-3 SPDIF',
  255: 'AAC',
  5648: 'HE-AAC',
  61868: 'FLAC',
};

/** Format tags whose codec another decoder handles (the `@audio/decode-wav` package). */
const COMPRESSED_TAGS = new Set([0x0002, 0x0011]);

/** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE_* GUIDs (PCM, IEEE float, A-law, mu-law), little-endian. */
const SUBTYPE_TAIL = [0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71];

function ascii4(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** A chunk id of four printable ASCII characters (how a misaligned chunk walk is recognised). */
function looksLikeChunkId(bytes: Uint8Array, at: number): boolean {
  if (at + 8 > bytes.length) return false;
  for (let i = 0; i < 4; i++) if (bytes[at + i]! < 32 || bytes[at + i]! > 126) return false;
  return true;
}

interface Fmt {
  tag: number;
  channels: number;
  sampleRate: number;
  bits: number;
}

function readFmt(bytes: Uint8Array, view: DataView, at: number, size: number, le: boolean, fail: Fail): Fmt {
  if (size < 16 || at + 16 > bytes.length)
    fail('SPG_DECODE_CORRUPT', `its fmt chunk has ${size} bytes (at least 16 are needed)`);
  let tag = view.getUint16(at, le);
  if (tag === 0xfffe) {
    // WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID's first two bytes.
    if (size < 40 || at + 40 > bytes.length)
      fail('SPG_DECODE_CORRUPT', `its WAVE_FORMAT_EXTENSIBLE fmt chunk has ${size} bytes (40 are needed)`);
    tag = view.getUint16(at + 24, le);
    const standard = !le || SUBTYPE_TAIL.every((b, i) => bytes[at + 26 + i] === b);
    if (!standard) {
      const guid = [...bytes.subarray(at + 24, at + 40)].map((b) => b.toString(16).padStart(2, '0')).join('');
      fail(
        'SPG_DECODE_UNSUPPORTED',
        `its WAVE_FORMAT_EXTENSIBLE sub-format ${guid} is not PCM or IEEE float; ${REENCODE_HINT}`,
      );
    }
  }
  return {
    tag,
    channels: view.getUint16(at + 2, le),
    sampleRate: view.getUint32(at + 4, le),
    bits: view.getUint16(at + 14, le),
  };
}

type Fail = (code: string, why: string) => never;

/** The sample encoding and container bits of a WAVE format tag, or a failure naming what is wrong. */
function sampleEncoding(fmt: Fmt, fail: Fail): { encoding: PcmEncoding; bitsPerSample: number } {
  const { tag, bits } = fmt;
  const hex = `0x${tag.toString(16).padStart(4, '0')}`;
  if (tag === 1) {
    if (bits >= 1 && bits <= 8) return { encoding: 'uint8', bitsPerSample: 8 };
    // Samples narrower than their container are left-justified: scale by the container.
    if (bits > 8 && bits <= 32) return { encoding: 'int', bitsPerSample: Math.ceil(bits / 8) * 8 };
    fail(
      'SPG_DECODE_UNSUPPORTED',
      `${bits}-bit integer PCM is not supported (8, 16, 24 and 32 are); ${REENCODE_HINT}`,
    );
  }
  if (tag === 3) {
    if (bits === 32 || bits === 64) return { encoding: 'float', bitsPerSample: bits };
    fail(
      'SPG_DECODE_UNSUPPORTED',
      `${bits}-bit float PCM is not supported (32 and 64 are); ${REENCODE_HINT}`,
    );
  }
  if (tag === 6 || tag === 7) {
    if (bits !== 8)
      fail(
        'SPG_DECODE_CORRUPT',
        `its G.711 ${tag === 6 ? 'A-law' : 'mu-law'} data declares ${bits} bits per sample (8 expected)`,
      );
    return { encoding: tag === 6 ? 'alaw' : 'ulaw', bitsPerSample: 8 };
  }
  const name = TAG_NAMES[tag] ? ` (${TAG_NAMES[tag]})` : '';
  fail(
    'SPG_DECODE_UNSUPPORTED',
    `WAVE format tag ${hex}${name} is not supported (PCM, IEEE float, A-law, mu-law, MS/IMA ADPCM are); ${REENCODE_HINT}`,
  );
}

/**
 * Reads a RIFF/RIFX/RF64/BW64 WAVE header: sample format, rate, and where the frames are. Works on
 * the file's first bytes too (`fileSize` is then the whole file's size), so a caller can read a
 * header, then convert any range of frames from another byte range. Data sizes of 0 and 0xFFFFFFFF
 * (streaming writers' placeholders) mean "to the end of the file"; a data chunk that declares more
 * bytes than the file has is `SPG_DECODE_TRUNCATED` (a cut copy must not pass for a shorter
 * recording). MS/IMA ADPCM come back as a `CompressedLayout` for another decoder.
 */
export function readWavHeader(
  bytes: Uint8Array,
  file: string,
  fileSize = bytes.length,
): PcmLayout | CompressedLayout {
  const fail: Fail = (code, why) => decodeFailure(code, file, 'wav', why);
  const magic = bytes.length >= 12 ? ascii4(bytes, 0) : '';
  if (!['RIFF', 'RIFX', 'RF64', 'BW64'].includes(magic) || ascii4(bytes, 8) !== 'WAVE')
    fail('SPG_DECODE_CORRUPT', 'it does not start with a RIFF/WAVE header');
  const le = magic !== 'RIFX';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: Fmt | undefined;
  let dataOffset = -1;
  let declared: number | undefined; // undefined: to the end of the file
  let ds64DataSize: number | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii4(bytes, at);
    const size = view.getUint32(at + 4, le);
    const body = at + 8;
    if (id === 'ds64' && body + 16 <= bytes.length) {
      ds64DataSize = view.getUint32(body + 8, true) + view.getUint32(body + 12, true) * 2 ** 32;
    } else if (id === 'fmt ') {
      fmt = readFmt(bytes, view, body, size, le, fail);
    } else if (id === 'data') {
      dataOffset = body;
      const size64 = size === 0xffffffff && ds64DataSize !== undefined ? ds64DataSize : size;
      declared = size64 === 0 || size64 === 0xffffffff ? undefined : size64;
      // A placeholder size cannot be skipped over; otherwise go on looking for a later fmt chunk.
      if (fmt || declared === undefined) break;
    }
    const next = body + size + (size & 1);
    // Some writers omit the pad byte after an odd-sized chunk: follow the id that makes sense.
    at = size & 1 && !looksLikeChunkId(bytes, next) && looksLikeChunkId(bytes, next - 1) ? next - 1 : next;
  }
  if (dataOffset < 0) fail('SPG_DECODE_TRUNCATED', 'it has no data chunk (truncated or not a WAV file)');
  const present = fileSize - dataOffset;
  if (declared !== undefined && present < declared)
    fail(
      'SPG_DECODE_TRUNCATED',
      `its data chunk declares ${declared} bytes but only ${present} are present (truncated file?)`,
    );
  if (!fmt) fail('SPG_DECODE_CORRUPT', 'it has no fmt chunk before its data');
  if (COMPRESSED_TAGS.has(fmt.tag)) return { container: 'wav', compressed: TAG_NAMES[fmt.tag]! };
  const { encoding, bitsPerSample } = sampleEncoding(fmt, fail);
  if (fmt.channels === 0) fail('SPG_DECODE_CORRUPT', 'its fmt chunk declares 0 channels');
  if (fmt.sampleRate === 0) fail('SPG_DECODE_CORRUPT', 'its fmt chunk declares a sample rate of 0');
  const stride = fmt.channels * (bitsPerSample >> 3);
  const frames = Math.floor((declared ?? present) / stride);
  return {
    container: 'wav',
    encoding,
    bitsPerSample,
    littleEndian: le,
    channels: fmt.channels,
    sampleRate: fmt.sampleRate,
    dataOffset,
    dataBytes: frames * stride,
    frames,
  };
}

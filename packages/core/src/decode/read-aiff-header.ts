import { decodeFailure, REENCODE_HINT } from './decode-failure';
import type { PcmEncoding, PcmLayout } from './pcm-layout';

/** AIFF-C compression types read as PCM: encoding, byte order, and fixed bits (else COMM's). */
const PCM_TYPES: Record<string, { encoding: PcmEncoding; littleEndian: boolean; bits?: number }> = {
  NONE: { encoding: 'int', littleEndian: false },
  twos: { encoding: 'int', littleEndian: false },
  sowt: { encoding: 'int', littleEndian: true },
  in24: { encoding: 'int', littleEndian: false, bits: 24 },
  in32: { encoding: 'int', littleEndian: false, bits: 32 },
  // Little-endian 24/32-bit as libsndfile writes them ('42n1', '23ni') and their variants.
  '42n1': { encoding: 'int', littleEndian: true, bits: 24 },
  '42ni': { encoding: 'int', littleEndian: true, bits: 24 },
  '23n1': { encoding: 'int', littleEndian: true, bits: 32 },
  '23ni': { encoding: 'int', littleEndian: true, bits: 32 },
  'raw ': { encoding: 'uint8', littleEndian: false, bits: 8 },
  fl32: { encoding: 'float', littleEndian: false, bits: 32 },
  FL32: { encoding: 'float', littleEndian: false, bits: 32 },
  fl64: { encoding: 'float', littleEndian: false, bits: 64 },
  FL64: { encoding: 'float', littleEndian: false, bits: 64 },
  ulaw: { encoding: 'ulaw', littleEndian: false, bits: 8 },
  ULAW: { encoding: 'ulaw', littleEndian: false, bits: 8 },
  alaw: { encoding: 'alaw', littleEndian: false, bits: 8 },
  ALAW: { encoding: 'alaw', littleEndian: false, bits: 8 },
};

/** Names of common compressed AIFF-C types, for the error message. */
const COMPRESSED_NAMES: Record<string, string> = {
  ima4: 'IMA4 ADPCM',
  'GSM ': 'GSM 6.10',
  'gsm ': 'GSM 6.10',
  MAC3: 'MACE 3:1',
  MAC6: 'MACE 6:1',
  Qclp: 'QCELP',
  QDM2: 'QDesign 2',
};

function ascii4(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** An 80-bit IEEE 754 extended float (big-endian), as AIFF stores its sample rate. */
function extended80(view: DataView, at: number): number {
  const signExponent = view.getUint16(at);
  const mantissa = view.getUint32(at + 2) * 2 ** 32 + view.getUint32(at + 6);
  if (mantissa === 0) return 0;
  const value = mantissa * 2 ** ((signExponent & 0x7fff) - 16383 - 63);
  return signExponent & 0x8000 ? -value : value;
}

interface Comm {
  channels: number;
  frames: number;
  bits: number;
  sampleRate: number;
  compression: string;
}

/**
 * Reads an AIFF or AIFF-C header: sample format, rate, and where the frames are (see
 * `readWavHeader` for `fileSize`, placeholder sizes and truncation). 8-bit AIFF is signed. Compressed
 * AIFF-C (IMA4, GSM, MACE...) is `SPG_DECODE_UNSUPPORTED`: the codec packages at hand decode IMA4
 * and GSM AIFF wrongly (errors near full scale against libsndfile and ffmpeg), and an error is
 * better than wrong audio.
 */
export function readAiffHeader(bytes: Uint8Array, file: string, fileSize = bytes.length): PcmLayout {
  const fail: (code: string, why: string) => never = (code, why) => decodeFailure(code, file, 'aiff', why);
  const form = bytes.length >= 12 ? ascii4(bytes, 8) : '';
  if (ascii4(bytes, 0) !== 'FORM' || (form !== 'AIFF' && form !== 'AIFC'))
    fail('SPG_DECODE_CORRUPT', 'it does not start with a FORM/AIFF or FORM/AIFC header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let comm: Comm | undefined;
  let dataOffset = -1;
  let declared: number | undefined; // undefined: to the end of the file
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii4(bytes, at);
    const size = view.getUint32(at + 4);
    const body = at + 8;
    if (id === 'COMM') {
      const needed = form === 'AIFC' ? 22 : 18;
      if (size < needed || body + needed > bytes.length)
        fail('SPG_DECODE_CORRUPT', `its COMM chunk has ${size} bytes (at least ${needed} are needed)`);
      comm = {
        channels: view.getUint16(body),
        frames: view.getUint32(body + 2),
        bits: view.getUint16(body + 6),
        sampleRate: extended80(view, body + 8),
        compression: form === 'AIFC' ? ascii4(bytes, body + 18) : 'NONE',
      };
    } else if (id === 'SSND') {
      if (body + 8 > bytes.length) break;
      // The sound data starts `offset` bytes into the chunk, after its offset and blockSize fields.
      const skip = 8 + view.getUint32(body);
      dataOffset = body + skip;
      declared = size === 0 || size === 0xffffffff ? undefined : Math.max(0, size - skip);
      if (comm || declared === undefined) break;
    }
    at = body + size + (size & 1);
  }
  if (dataOffset < 0) fail('SPG_DECODE_TRUNCATED', 'it has no SSND chunk (truncated or not an AIFF file)');
  const present = Math.max(0, fileSize - dataOffset);
  if (declared !== undefined && present < declared)
    fail(
      'SPG_DECODE_TRUNCATED',
      `its SSND chunk declares ${declared} bytes but only ${present} are present (truncated file?)`,
    );
  if (!comm) fail('SPG_DECODE_CORRUPT', 'it has no COMM chunk before its sound data');
  const type = PCM_TYPES[comm.compression];
  const named = COMPRESSED_NAMES[comm.compression] ? ` (${COMPRESSED_NAMES[comm.compression]})` : '';
  if (!type)
    fail(
      'SPG_DECODE_UNSUPPORTED',
      `AIFF-C compression "${comm.compression}"${named} is not supported (PCM: NONE, twos, sowt, in24, in32, 42n1, 23ni, raw, fl32, fl64, ulaw, alaw are); ${REENCODE_HINT}`,
    );
  if (type.bits === undefined && !(comm.bits >= 1 && comm.bits <= 32))
    fail(
      'SPG_DECODE_UNSUPPORTED',
      `${comm.bits}-bit samples are not supported (8, 16, 24 and 32 are); ${REENCODE_HINT}`,
    );
  // Samples narrower than their container are left-justified: scale by the container.
  const bitsPerSample = type.bits ?? Math.ceil(comm.bits / 8) * 8;
  if (comm.channels === 0) fail('SPG_DECODE_CORRUPT', 'its COMM chunk declares 0 channels');
  // Integer Hz, as libsndfile reads it (AIFF allows fractions, e.g. 22254.545454 Hz).
  const sampleRate = Math.round(comm.sampleRate);
  if (!(sampleRate > 0 && Number.isFinite(sampleRate)))
    fail('SPG_DECODE_CORRUPT', `its COMM chunk declares a sample rate of ${comm.sampleRate}`);
  const stride = comm.channels * (bitsPerSample >> 3);
  let frames = Math.floor((declared ?? present) / stride);
  // COMM's count wins when the sound data is padded beyond it (0 = unknown, as streaming writers leave it).
  if (comm.frames > 0 && comm.frames < frames) frames = comm.frames;
  return {
    container: 'aiff',
    encoding: type.encoding,
    bitsPerSample,
    littleEndian: type.littleEndian,
    channels: comm.channels,
    sampleRate,
    dataOffset,
    dataBytes: frames * stride,
    frames,
  };
}

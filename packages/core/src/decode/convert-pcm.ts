import { alawTable, ulawTable } from './g711';
import { frameBytes, type PcmSampleFormat } from './pcm-layout';

/** Frames per block when averaging channels: the block's samples stay in cache between passes. */
const MIX_BLOCK = 2048;

const TWO_POW_7 = 2 ** -7;
const TWO_POW_15 = 2 ** -15;
const TWO_POW_31 = 2 ** -31;
const littleEndianHost = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Reads `count` samples of one channel, `stride` bytes apart from byte `at` of `data`, into
 * `out[outAt...]` as float32. Integers become exactly x / 2^(bits - 1) (8-bit unsigned: (x - 128) / 128);
 * float64 is rounded to float32. One loop per encoding keeps the inner loops monomorphic.
 */
function readChannel(
  data: Uint8Array,
  at: number,
  stride: number,
  count: number,
  format: PcmSampleFormat,
  out: Float32Array,
  outAt: number,
): void {
  const { encoding, bitsPerSample: bits, littleEndian: le } = format;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = outAt + count;
  let o = outAt;
  let p = at;
  if (encoding === 'uint8') {
    for (; o < end; o++, p += stride) out[o] = (data[p]! - 128) * TWO_POW_7;
  } else if (encoding === 'ulaw' || encoding === 'alaw') {
    const table = encoding === 'ulaw' ? ulawTable() : alawTable();
    for (; o < end; o++, p += stride) out[o] = table[data[p]!]!;
  } else if (encoding === 'float') {
    if (bits === 32) for (; o < end; o++, p += stride) out[o] = view.getFloat32(p, le);
    else for (; o < end; o++, p += stride) out[o] = view.getFloat64(p, le);
  } else if (bits === 16) {
    // (hi << 24 | lo << 16) >> 16 sign-extends the 16-bit value.
    const hi = le ? 1 : 0;
    const lo = 1 - hi;
    if (le && stride === 2 && (data.byteOffset + p) % 2 === 0 && littleEndianHost) {
      const samples = new Int16Array(data.buffer, data.byteOffset + p, count);
      for (let i = 0; i < count; i++) out[o + i] = samples[i]! * TWO_POW_15;
    } else {
      for (; o < end; o++, p += stride)
        out[o] = (((data[p + hi]! << 24) | (data[p + lo]! << 16)) >> 16) * TWO_POW_15;
    }
  } else if (bits === 24) {
    // The 24-bit value placed in the top of an int32, times 2^-31: exactly x / 2^23.
    const b0 = le ? 0 : 2;
    const b2 = 2 - b0;
    for (; o < end; o++, p += stride)
      out[o] = ((data[p + b2]! << 24) | (data[p + 1]! << 16) | (data[p + b0]! << 8)) * TWO_POW_31;
  } else if (bits === 32) {
    // x * 2^-31 is exact in float64; the store rounds it once to float32.
    for (; o < end; o++, p += stride) out[o] = view.getInt32(p, le) * TWO_POW_31;
  } else {
    // 8-bit signed (AIFF).
    for (; o < end; o++, p += stride) out[o] = ((data[p]! << 24) >> 24) * TWO_POW_7;
  }
}

/**
 * Converts the whole frames of interleaved PCM `data` (which starts at a frame boundary) into one
 * Float32Array per channel, written from `offset`. Returns the number of frames converted.
 * `data` may be any range of a file's frames: nothing here assumes the whole file.
 *
 * @example
 * const frames = pcmToChannels(bytes.subarray(layout.dataOffset, layout.dataOffset + layout.dataBytes), layout, channelData, 0);
 */
export function pcmToChannels(
  data: Uint8Array,
  format: PcmSampleFormat,
  targets: readonly Float32Array[],
  offset: number,
): number {
  const stride = frameBytes(format);
  const frames = Math.floor(data.length / stride);
  const bytes = format.bitsPerSample >> 3;
  for (let c = 0; c < format.channels; c++)
    readChannel(data, c * bytes, stride, frames, format, targets[c]!, offset);
  return frames;
}

/**
 * Like `pcmToChannels` but writes the mean of the channels into one `target`, with the exact float32
 * arithmetic of `downmix()` (0 + channel 0, + each next channel, then x (1 / channels)), so it
 * equals decoding every channel and calling `downmix` bit for bit. One channel is copied as is.
 */
export function pcmToMono(
  data: Uint8Array,
  format: PcmSampleFormat,
  target: Float32Array,
  offset: number,
): number {
  const stride = frameBytes(format);
  const frames = Math.floor(data.length / stride);
  const { channels } = format;
  const bytes = format.bitsPerSample >> 3;
  if (channels === 1) {
    readChannel(data, 0, stride, frames, format, target, offset);
    return frames;
  }
  const scale = 1 / channels;
  const scratch = new Float32Array(Math.min(frames, MIX_BLOCK));
  for (let first = 0; first < frames; first += MIX_BLOCK) {
    const n = Math.min(MIX_BLOCK, frames - first);
    const start = offset + first;
    const end = start + n;
    const at = first * stride;
    readChannel(data, at, stride, n, format, target, start);
    // 0 + x turns -0 into +0, as downmix's zero-filled sum does (only floats can be -0).
    if (format.encoding === 'float') for (let i = start; i < end; i++) target[i]! += 0;
    for (let c = 1; c < channels; c++) {
      readChannel(data, at + c * bytes, stride, n, format, scratch, 0);
      for (let i = 0; i < n; i++) target[start + i]! += scratch[i]!;
    }
    for (let i = start; i < end; i++) target[i]! *= scale;
  }
  return frames;
}

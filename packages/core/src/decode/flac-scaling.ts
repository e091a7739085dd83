import { afterId3 } from './detect-audio-format';

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Bits per sample from the STREAMINFO block of a native (optionally ID3-prefixed) or Ogg FLAC stream. */
export function flacBitsPerSample(bytes: Uint8Array): number | undefined {
  let streamInfo: number;
  const start = afterId3(bytes);
  if (ascii(bytes, start, 'fLaC')) {
    streamInfo = start + 8; // 'fLaC', then the 4-byte metadata block header
  } else if (ascii(bytes, 0, 'OggS')) {
    // First packet: 0x7F 'FLAC', version (2), header count (2), 'fLaC', block header (4), STREAMINFO.
    const packet = 27 + (bytes[26] ?? 0);
    if (bytes[packet] !== 0x7f || !ascii(bytes, packet + 1, 'FLAC')) return undefined;
    streamInfo = packet + 17;
  } else {
    return undefined;
  }
  if (streamInfo + 18 > bytes.length) return undefined;
  // After block sizes (4 bytes) and frame sizes (6): 20 bits rate, 3 bits channels - 1, 5 bits bits - 1.
  return (((bytes[streamInfo + 12]! & 1) << 4) | (bytes[streamInfo + 13]! >> 4)) + 1;
}

/** 1.5 * 2^52: float64 values near it have no fraction bits left. */
const ROUNDER = 6755399441055744;

/**
 * The FLAC codec underneath (`@wasm-audio-decoders/flac`) computes, in float32,
 * float(x) / float(2^(bits-1) - 1): a gain error of 1/32767 for 16-bit audio (-32768 decodes to
 * -1.00003). Up to 24 bits the integer x is recovered exactly (the float32 rounding error times
 * 2^23 stays below 0.5) and rescaled to x / 2^(bits-1), as libsndfile, ffmpeg and soundfile read it;
 * checked against every 16- and 24-bit value. From 26 bits the divisor rounds to 2^(bits-1) in
 * float32, so the codec's value is already exact; 25 bits can only be gain-corrected (within 1 ulp).
 */
export function rescaleFlac(channelData: readonly Float32Array[], bits: number): void {
  const full = 2 ** (bits - 1);
  if (bits <= 24) {
    const gain = full - 1;
    // 1 / 2^(bits-1) is exact, so multiplying equals dividing.
    const inverse = 1 / full;
    for (const channel of channelData)
      for (let i = 0; i < channel.length; i++)
        // Rounds to the nearest integer by adding and removing 1.5 * 2^52 (float64 keeps no fraction
        // there): Math.round's result, as the product is within 2^-9 of an integer (never near .5),
        // at about half its cost; +0 stays +0 (the codec's zero is +0).
        channel[i] = (channel[i]! * gain + ROUNDER - ROUNDER) * inverse;
  } else if (bits === 25) {
    const gain = (full - 1) / full;
    for (const channel of channelData) for (let i = 0; i < channel.length; i++) channel[i]! *= gain;
  }
}

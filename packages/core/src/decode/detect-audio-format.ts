/** Container or codec names `detectAudioFormat` reports (and `SpgDecodeError.format` carries). */
export type AudioFormat =
  | 'wav'
  | 'mp3'
  | 'flac'
  | 'ogg'
  | 'opus'
  | 'm4a'
  | 'aac'
  | 'aiff'
  | 'caf'
  | 'qoa'
  | 'webm';

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Skips an ID3v2 tag (10-byte header, synch-safe size, optional 10-byte footer). */
export function afterId3(bytes: Uint8Array): number {
  if (!ascii(bytes, 0, 'ID3') || bytes.length < 10) return 0;
  const size =
    ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  return 10 + size + (bytes[5]! & 0x10 ? 10 : 0);
}

/** Which codec an Ogg stream carries, from its first packet. */
function oggCodec(bytes: Uint8Array): AudioFormat {
  // First page: 27-byte header + segment table, then the first packet.
  const segments = bytes[26] ?? 0;
  const packet = 27 + segments;
  if (ascii(bytes, packet, 'OpusHead')) return 'opus';
  if (ascii(bytes, packet, 'fLaC') || ascii(bytes, packet + 1, 'FLAC')) return 'flac';
  return 'ogg';
}

/**
 * Detects the audio format from the first bytes (magic numbers); `undefined` when nothing known
 * matches. Content decides, never the file name: a text file named `.wav` is not WAV.
 */
export function detectAudioFormat(bytes: Uint8Array): AudioFormat | undefined {
  if (
    ascii(bytes, 0, 'RIFF') ||
    ascii(bytes, 0, 'RIFX') ||
    ascii(bytes, 0, 'RF64') ||
    ascii(bytes, 0, 'BW64')
  ) {
    return ascii(bytes, 8, 'WAVE') ? 'wav' : undefined;
  }
  if (ascii(bytes, 0, 'fLaC')) return 'flac';
  if (ascii(bytes, 0, 'OggS')) return oggCodec(bytes);
  if (ascii(bytes, 0, 'FORM') && (ascii(bytes, 8, 'AIFF') || ascii(bytes, 8, 'AIFC'))) return 'aiff';
  if (ascii(bytes, 0, 'caff')) return 'caf';
  if (ascii(bytes, 0, 'qoaf')) return 'qoa';
  if (ascii(bytes, 4, 'ftyp')) return 'm4a';
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  const start = afterId3(bytes);
  if (start > 0 && ascii(bytes, start, 'fLaC')) return 'flac';
  const b0 = bytes[start];
  const b1 = bytes[start + 1];
  if (b0 === 0xff && b1 !== undefined && (b1 & 0xe0) === 0xe0) {
    // Frame sync. Layer bits 00 with MPEG-4/2 ADTS means AAC; layers 01-11 are MPEG audio.
    const layer = (b1 >> 1) & 0x3;
    if (layer === 0) return (b1 & 0xf6) === 0xf0 ? 'aac' : undefined;
    return 'mp3';
  }
  return start > 0 ? 'mp3' : undefined;
}

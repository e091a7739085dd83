/**
 * How samples are stored: `int` is two's complement, `uint8` is 8-bit offset binary (WAV's 8-bit
 * PCM, silence = 128), `float` is IEEE, `ulaw`/`alaw` are G.711 bytes.
 */
export type PcmEncoding = 'int' | 'uint8' | 'float' | 'ulaw' | 'alaw';

/** What converting interleaved PCM bytes needs: one frame is `channels * bytesPerSample` bytes. */
export interface PcmSampleFormat {
  encoding: PcmEncoding;
  /**
   * Bits of the sample container (8, 16, 24, 32 or 64). Integers are scaled by
   * 1 / 2^(bits - 1), so a 20-bit sample left-justified in 24 bits is read as 24-bit.
   */
  bitsPerSample: number;
  littleEndian: boolean;
  channels: number;
}

/**
 * A WAV or AIFF file's PCM layout, read from its header. Frame `k` starts at byte
 * `dataOffset + k * channels * bitsPerSample / 8` of the file.
 */
export interface PcmLayout extends PcmSampleFormat {
  container: 'wav' | 'aiff';
  sampleRate: number;
  /** Byte offset of the first frame in the file. */
  dataOffset: number;
  /** Bytes of whole frames (a trailing partial frame is left out). */
  dataBytes: number;
  frames: number;
}

/** A container holding a compressed codec (e.g. IMA ADPCM) rather than plain PCM. */
export interface CompressedLayout {
  container: 'wav';
  /** The codec's name, e.g. `IMA ADPCM`. */
  compressed: string;
}

/** Bytes of one frame (all channels of one sample instant). */
export function frameBytes(format: PcmSampleFormat): number {
  return format.channels * (format.bitsPerSample >> 3);
}

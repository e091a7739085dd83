import type { DecodedAudio } from '../contracts/audio-decoder';
import { pcmToChannels, pcmToMono } from './convert-pcm';
import type { CompressedLayout } from './pcm-layout';
import { readAiffHeader } from './read-aiff-header';
import { readWavHeader } from './read-wav-header';

/**
 * Decodes a whole WAV or AIFF file holding PCM (integers exactly x / 2^(bits - 1), floats as stored),
 * straight into the output: one Float32Array per channel, or with `mono` one averaged channel equal
 * to `downmix()` of them, written into `output(frames)` when given (a caller's reused buffer). A
 * container of a compressed codec comes back as its `CompressedLayout`. Header problems throw
 * `SpgDecodeError`s naming `file`.
 */
export function decodePcm(
  bytes: Uint8Array,
  file: string,
  container: 'wav' | 'aiff',
  mono: boolean,
  output?: (frames: number) => Float32Array,
): DecodedAudio | CompressedLayout {
  const layout = container === 'wav' ? readWavHeader(bytes, file) : readAiffHeader(bytes, file);
  if ('compressed' in layout) return layout;
  const data = bytes.subarray(layout.dataOffset, layout.dataOffset + layout.dataBytes);
  if (mono) {
    const out = output ? output(layout.frames) : new Float32Array(layout.frames);
    pcmToMono(data, layout, out, 0);
    return { channelData: [out], sampleRate: layout.sampleRate };
  }
  const channelData = Array.from({ length: layout.channels }, () => new Float32Array(layout.frames));
  pcmToChannels(data, layout, channelData, 0);
  return { channelData, sampleRate: layout.sampleRate };
}

import type { ByteInput } from '../contracts/audio-decoder';
import type { AudioSource } from '../contracts/audio-source';
import { detectAudioFormat } from './detect-audio-format';
import type { PcmLayout } from './pcm-layout';
import { readLayout } from './stream-decode';

/** Bytes read first: the header of nearly every WAV/AIFF file. */
const HEAD_BYTES = 1 << 16;

/**
 * `path`'s PCM layout when it is WAV/AIFF PCM at `sampleRate` (its frames can then be read by
 * position, as core's decoder reads them), else undefined. Needs `source.readRange`.
 */
export async function pcmLayoutAt(
  source: AudioSource,
  path: string,
  sampleRate: number,
  size?: number,
): Promise<PcmLayout | undefined> {
  if (!source.readRange) return undefined;
  const bytes = size ?? (await source.stat(path)).size;
  const input: ByteInput = { size: bytes, read: (offset, count) => source.readRange!(path, offset, count) };
  const head = bytes === 0 ? new Uint8Array(0) : await input.read(0, Math.min(bytes, HEAD_BYTES));
  const format = detectAudioFormat(head);
  if (format !== 'wav' && format !== 'aiff') return undefined;
  const layout = await readLayout(input, head, path, format);
  return 'compressed' in layout || layout.sampleRate !== sampleRate ? undefined : layout;
}

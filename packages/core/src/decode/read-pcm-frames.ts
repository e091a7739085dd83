import { SpgDecodeError } from '../errors/spg-decode-error';
import { frameBytes, type PcmLayout } from './pcm-layout';

/**
 * The bytes of frames `[first, first + count)` of a WAV/AIFF file with `layout`, by one positional
 * `read` (a source's `readRange` or a `ByteInput`); `SPG_DECODE_TRUNCATED` naming `path` when fewer
 * come back (the file shrank since its header was read).
 */
export async function readPcmFrames(
  read: (offset: number, length: number) => Promise<Uint8Array>,
  path: string,
  layout: PcmLayout,
  first: number,
  count: number,
): Promise<Uint8Array> {
  const stride = frameBytes(layout);
  const bytes = await read(layout.dataOffset + first * stride, count * stride);
  if (bytes.length < count * stride)
    throw new SpgDecodeError(
      'SPG_DECODE_TRUNCATED',
      `"${path}" (${layout.container}): only ${Math.floor(bytes.length / stride)} of frames ${first}-${first + count} could be read (the file shrank?)`,
      { file: path, format: layout.container },
    );
  return bytes;
}

import { decodeFailure } from './decode-failure';
import { extensionOf, preview } from './describe-bytes';
import { type AudioFormat, detectAudioFormat } from './detect-audio-format';

/**
 * The format of a file from its first bytes (`head`) and its size, or the `SpgDecodeError` both
 * decode paths give: `SPG_DECODE_EMPTY` for 0 bytes, `SPG_DECODE_UNKNOWN_FORMAT` naming the bytes.
 */
export function requireAudioFormat(head: Uint8Array, size: number, path: string): AudioFormat {
  const hint = extensionOf(path) || 'unknown';
  if (size === 0) decodeFailure('SPG_DECODE_EMPTY', path, hint, 'the file is empty (0 bytes)');
  const format = detectAudioFormat(head);
  if (!format)
    decodeFailure(
      'SPG_DECODE_UNKNOWN_FORMAT',
      path,
      hint,
      `its content is not a known audio format (starts with ${preview(head)}); the file may be corrupt or not audio`,
    );
  return format;
}

import { SpgDecodeError } from '../errors/spg-decode-error';

/** What to suggest when a file's encoding is not supported. */
export const REENCODE_HINT =
  "re-encode it to 16-bit PCM WAV or FLAC, or skip such files with onError: 'skip' (CLI: --on-error skip)";

/** Throws the `SpgDecodeError` every decode failure becomes: names the file, the format and why. */
export function decodeFailure(
  code: string,
  file: string,
  format: string,
  why: string,
  cause?: unknown,
): never {
  throw new SpgDecodeError(
    code,
    `Could not decode "${file}" (${format}): ${why}`,
    { file, format },
    { cause },
  );
}

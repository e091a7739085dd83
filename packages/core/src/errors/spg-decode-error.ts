import { SpgError } from './spg-error';

/** How to go on without the file, appended to every decode error that does not say it already. */
export const DECODE_SKIP_HINT =
  "To leave undecodable files out instead of stopping, use onError: 'skip' (CLI: --on-error skip).";

function withSkipHint(message: string): string {
  if (message.includes("onError: 'skip'")) return message;
  return `${message}${/[.!?]$/.test(message) ? '' : '.'} ${DECODE_SKIP_HINT}`;
}

/**
 * An audio file could not be decoded. Names the file and the format that was tried; the message
 * always ends by pointing at `onError: 'skip'`.
 */
export class SpgDecodeError extends SpgError {
  override name = 'SpgDecodeError';
  readonly file: string;
  readonly format: string;

  constructor(
    code: string,
    message: string,
    where: { file: string; format: string },
    options?: { cause?: unknown },
  ) {
    super(code, withSkipHint(message), where, options);
    this.file = where.file;
    this.format = where.format;
  }

  static override isInstance(value: unknown): value is SpgDecodeError {
    return SpgError.isInstance(value) && value.name === 'SpgDecodeError';
  }
}

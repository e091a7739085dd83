import { SpgError } from './spg-error';

/** An audio file could not be decoded. Names the file and the format that was tried. */
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
    super(code, message, where, options);
    this.file = where.file;
    this.format = where.format;
  }

  static override isInstance(value: unknown): value is SpgDecodeError {
    return SpgError.isInstance(value) && value.name === 'SpgDecodeError';
  }
}

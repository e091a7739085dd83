import { SpgError } from './spg-error';

/** metadata.json (or an audio file's entry in it) is wrong. Names the file and the field. */
export class SpgMetadataError extends SpgError {
  override name = 'SpgMetadataError';
  readonly file: string | undefined;
  readonly field: string | undefined;

  constructor(code: string, message: string, where: { file?: string; field?: string; value?: unknown } = {}) {
    super(code, message, where);
    this.file = where.file;
    this.field = where.field;
  }

  static override isInstance(value: unknown): value is SpgMetadataError {
    return SpgError.isInstance(value) && value.name === 'SpgMetadataError';
  }
}

import { SpgError } from './spg-error';

/** A feature extractor failed at run time (after its parameters were accepted). */
export class SpgExtractorError extends SpgError {
  override name = 'SpgExtractorError';
  readonly extractorId: string;

  constructor(code: string, message: string, extractorId: string, options?: { cause?: unknown }) {
    super(code, message, { extractorId }, options);
    this.extractorId = extractorId;
  }

  static override isInstance(value: unknown): value is SpgExtractorError {
    return SpgError.isInstance(value) && value.name === 'SpgExtractorError';
  }
}

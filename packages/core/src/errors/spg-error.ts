const marker = Symbol.for('spgdataset.error');

/** Serialised form of an `SpgError`, so workers can rethrow faithfully. */
export interface SpgErrorJson {
  name: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/**
 * Base class of every error spgdataset throws on purpose. `code` is `SPG_<AREA>_<REASON>`.
 * Use `SpgError.isInstance(e)` (not `instanceof`) so two copies of core still agree.
 */
export class SpgError extends Error {
  readonly [marker] = true;
  override name = 'SpgError';
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  static isInstance(value: unknown): value is SpgError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  toJSON(): SpgErrorJson {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

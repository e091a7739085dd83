import { SpgError } from './spg-error';

export type CacheOperation = 'get' | 'put' | 'has' | 'delete' | 'keys' | 'key';

/** A cache entry is corrupt, a key is hostile, or the storage refused an operation. */
export class SpgCacheError extends SpgError {
  override name = 'SpgCacheError';
  readonly key: string | undefined;
  readonly path: string | undefined;
  readonly operation: CacheOperation;

  constructor(
    code: string,
    message: string,
    where: { key?: string; path?: string; operation: CacheOperation },
    options?: { cause?: unknown },
  ) {
    super(code, message, where, options);
    this.key = where.key;
    this.path = where.path;
    this.operation = where.operation;
  }

  static override isInstance(value: unknown): value is SpgCacheError {
    return SpgError.isInstance(value) && value.name === 'SpgCacheError';
  }
}

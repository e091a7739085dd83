import { SpgError } from './spg-error';

/**
 * A tar shard (or its manifest) could not be read, or its bytes are not what the manifest
 * promises. `url` names the shard and `offset` the byte where the problem starts (when known).
 * Codes: `SPG_SHARD_CORRUPT`, `SPG_SHARD_TRUNCATED`, `SPG_SHARD_READ_FAILED`,
 * `SPG_SHARD_MANIFEST_INVALID`.
 */
export class SpgShardError extends SpgError {
  override name = 'SpgShardError';
  readonly url: string;
  readonly offset: number | undefined;

  constructor(
    code: string,
    message: string,
    where: { url: string; offset?: number },
    options?: { cause?: unknown },
  ) {
    super(code, message, where, options);
    this.url = where.url;
    this.offset = where.offset;
  }

  static override isInstance(value: unknown): value is SpgShardError {
    return SpgError.isInstance(value) && value.name === 'SpgShardError';
  }
}

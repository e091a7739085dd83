import { createHash } from 'node:crypto';
import type { AsyncDigest } from '../shards/shard-reader';

/**
 * SHA-256 (hex) with node:crypto, on the calling thread: no copy of the input and no hop to the
 * thread pool, which beats Web Crypto's `digest` when cores are few. For `openShardedDataset`'s
 * `digest` option.
 */
export const nodeDigest: AsyncDigest = (bytes) =>
  Promise.resolve(createHash('sha256').update(bytes).digest('hex'));

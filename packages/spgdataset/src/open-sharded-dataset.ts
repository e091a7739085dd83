import {
  type OpenShardedDatasetOptions,
  openShardedDataset as openShardedDatasetWith,
  type ShardedDataset,
} from '@spgdataset/core';
import { nodeShardSource } from '@spgdataset/core/node';

/**
 * Core's `openShardedDataset` with the Node default source: `nodeShardSource()`, which reads local
 * paths and `file:` URLs and fetches `http(s):` URLs (with retries). Pass `source` to replace it.
 *
 * @example
 * const shards = await openShardedDataset({ manifest: 'shards/train/manifest.json', rank, worldSize });
 */
export function openShardedDataset(options: OpenShardedDatasetOptions): Promise<ShardedDataset> {
  return openShardedDatasetWith({ ...options, source: options.source ?? nodeShardSource() });
}

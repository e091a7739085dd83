// Node-only helpers of @spgdataset/core (filesystem audio source, index store, worker pool).
export const nodeEntry = 'node' as const;
export { type ExportShardsOptions, type ExportShardsResult, exportShards } from './node/export-shards';
export { fileIndexStore, fileIndexStoreDefinition } from './node/file-index-store';
export { fileMetadata } from './node/file-metadata';
export { fsSource, fsSourceDefinition } from './node/fs-source';
export type { GenerationWorkerConfig, WorkerPluginReference } from './node/generation-worker-config';
export { nodeDigest } from './node/node-digest';
export { type NodeShardSourceOptions, nodeShardSource } from './node/node-shard-source';
export { createGenerationPool, type GenerationPool, type GenerationPoolOptions } from './node/worker-pool';
export { writeFileAtomic } from './node/write-file-atomic';

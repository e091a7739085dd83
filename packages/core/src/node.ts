// Node-only helpers of @spgdataset/core (filesystem audio source, index store, worker threads).
export const nodeEntry = 'node' as const;
export { type ExportShardsOptions, type ExportShardsResult, exportShards } from './node/export-shards';
export { fileIndexStore, fileIndexStoreDefinition } from './node/file-index-store';
export { fileMetadata } from './node/file-metadata';
export { type ChangeTokenMode, type FsSourceOptions, fsSource, fsSourceDefinition } from './node/fs-source';
export type { GenerationFailure, GenerationWorkerInput } from './node/generation-worker';
export { nodeDigest } from './node/node-digest';
export { type NodeShardSourceOptions, nodeShardSource } from './node/node-shard-source';
export { disposePlanParts, makePlanParts, type PlanParts, partsFromPlan } from './node/plan-parts';
export { defaultAnchors, loadPluginModules, resolvePluginModule } from './node/plugin-modules';
export {
  generationWorkerFile,
  WORKER_THREADS_SCHEDULER_ID,
  type WorkerThreadsSchedulerOptions,
  workerThreadsScheduler,
  workerThreadsSchedulerDefinition,
} from './node/worker-threads-scheduler';
export { writeFileAtomic } from './node/write-file-atomic';

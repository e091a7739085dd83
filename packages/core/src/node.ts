// Node-only helpers of @spgdataset/core (filesystem audio source, index store, worker pool).
export const nodeEntry = 'node' as const;
export type { GenerationWorkerConfig, WorkerPluginReference } from './node/generation-worker-config';
export { createGenerationPool, type GenerationPool, type GenerationPoolOptions } from './node/worker-pool';

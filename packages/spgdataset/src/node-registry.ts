import { fsCacheDefinition } from '@spgdataset/cache-fs';
import {
  audioDecodeDecoderDefinition,
  createRegistry,
  type Registry,
  type RegistryEntry,
  sincResamplerDefinition,
  urlSourceDefinition,
} from '@spgdataset/core';
import {
  fileIndexStoreDefinition,
  fileMetadata,
  fsSourceDefinition,
  workerThreadsScheduler,
  workerThreadsSchedulerDefinition,
} from '@spgdataset/core/node';
import { jsMelExtractorDefinition } from '@spgdataset/dsp-js';
import { wasmMelExtractorDefinition, wasmResamplerDefinition } from '@spgdataset/dsp-wasm';
import { bullmqSchedulerDefinition } from '@spgdataset/scheduler-bullmq';

/**
 * Worker threads look the plugins' packages up from this package too (it depends on every one of
 * them), so they are found however the app's node_modules are laid out (npm, pnpm, yarn).
 */
const threadsFromHere: typeof workerThreadsSchedulerDefinition = {
  ...workerThreadsSchedulerDefinition,
  create: (options) => workerThreadsScheduler({ ...options, anchors: [import.meta.url] }),
};

/** The definitions of every plugin `spgdataset` ships, for Node. */
export const nodePluginDefinitions: readonly RegistryEntry[] = [
  fsSourceDefinition,
  urlSourceDefinition,
  audioDecodeDecoderDefinition,
  sincResamplerDefinition,
  wasmResamplerDefinition,
  jsMelExtractorDefinition,
  wasmMelExtractorDefinition,
  fsCacheDefinition,
  fileIndexStoreDefinition,
  threadsFromHere,
  bullmqSchedulerDefinition,
];

/**
 * The registry of Node defaults: `createDataset(nodeRegistry)` resolves `{ use, options }`
 * references to them, opens `metadata` locations as files, and turns `numWorkers` into worker
 * threads; `{ use: 'scheduler-bullmq/queue', options: { connection } }` sends generation to worker
 * processes on other machines instead. Add your own plugins with `nodeRegistry.with([definition])`.
 *
 * @example
 * const ds = await createDataset(nodeRegistry)
 *   .source({ use: 'core/fs', options: { root: 'data/audio' } })
 *   .decoder({ use: 'core/audio-decode' })
 *   .resampler({ use: 'core/sinc' })
 *   .extractor({ use: 'dsp-wasm/log-mel', options: { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 } })
 *   .cache({ use: 'cache-fs/npy', options: { root: '.cache/spg' } })
 *   .numWorkers(2)
 *   .build();
 */
export const nodeRegistry: Registry = createRegistry(nodePluginDefinitions, { openMetadata: fileMetadata });

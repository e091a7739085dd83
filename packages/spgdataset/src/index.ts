// spgdataset: batteries included for Node. Core's public API, the plugins, and Node defaults.
export * from '@spgdataset/core';
export {
  type ExportShardsOptions,
  type ExportShardsResult,
  exportShards,
  type NodeShardSourceOptions,
  nodeDigest,
  nodeShardSource,
} from '@spgdataset/core/node';
export { SpectrogramDatasetRouter, type SpectrogramDatasetRouterOptions } from '@spgdataset/router';
export { nodePluginDefinitions, nodeRegistry } from './node-registry';
export { melDefaults, type OpenSpectrogramDatasetOptions, openDefaults } from './open-options';
export { openShardedDataset } from './open-sharded-dataset';
export { openSpectrogramDataset } from './open-spectrogram-dataset';
export { formatProgress } from './progress/format-progress';
export {
  type ProgressRenderer,
  type ProgressStream,
  type RenderProgressOptions,
  renderProgress,
} from './progress/render-progress';

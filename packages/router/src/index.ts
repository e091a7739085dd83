export type { LabelRule } from './router-labels';
export {
  type RouterLocation,
  SpectrogramDatasetRouter,
  type SpectrogramDatasetRouterOptions,
} from './spectrogram-dataset-router';
export { weightedCounts } from './weighted-sample';

/** Plugin id prefix of the router package. */
export const ROUTER_PACKAGE = '@spgdataset/router';

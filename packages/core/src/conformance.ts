// Conformance cases as plain async functions, for any runner and for browsers: no vitest, no `node:`.
// `@spgdataset/core/testing` wraps the same cases in vitest suites.
export { float32Bits, randomTensor, specialTensor } from './testing/cache-tensors';
export { type Checks, ConformanceFailure, check, deepEqual, show, thrown } from './testing/check';
export {
  type ConformanceCase,
  type ConformanceResult,
  caseTitle,
  runConformanceCases,
} from './testing/conformance-case';
export { EXTRACTOR_DISPOSED } from './testing/extractor-contract-cases';
export {
  type GoldenCase,
  type GoldenTolerance,
  goldenErrorStats,
  loadGoldenFixtures,
} from './testing/extractor-golden-fixtures';
export { EXTRACTOR_INPUT_TOO_SHORT } from './testing/extractor-output-cases';
export { type FeatureExtractorSuiteOptions, featureExtractorCases } from './testing/feature-extractor-cases';
export type { FixtureReader } from './testing/fixture-files';
export { extractorAccuracyBounds, goldenCaseTolerance } from './testing/golden-case-tolerance';
export { type ReadableDatasetSuiteOptions, readableDatasetCases } from './testing/readable-dataset-cases';
export { loadResampleFixtures, type ResampleFixture } from './testing/resample-fixtures';
export {
  RESAMPLER_ROUNDING,
  RESAMPLER_STREAM_ENDED,
  RESAMPLER_STREAM_LATENCY,
  resamplerBounds,
  resamplerSuitePairs,
} from './testing/resampler-bounds';
export { type ResamplerSuiteOptions, resamplerCases } from './testing/resampler-cases';
export { type SpectrogramCacheSuiteOptions, spectrogramCacheCases } from './testing/spectrogram-cache-cases';
export { noise } from './testing/test-signals';

// Conformance suites that every plugin implementation runs (they import vitest).
export const testingEntry = 'testing' as const;
export {
  describeFeatureExtractor,
  EXTRACTOR_DISPOSED,
  EXTRACTOR_INPUT_TOO_SHORT,
  extractorAccuracyBounds,
  type FeatureExtractorSuiteOptions,
  goldenCaseTolerance,
} from './testing/describe-feature-extractor';
export {
  describeResampler,
  RESAMPLER_ROUNDING,
  RESAMPLER_STREAM_ENDED,
  RESAMPLER_STREAM_LATENCY,
  type ResamplerSuiteOptions,
  resamplerBounds,
  resamplerSuitePairs,
} from './testing/describe-resampler';
export {
  describeSpectrogramCache,
  type SpectrogramCacheSuiteOptions,
} from './testing/describe-spectrogram-cache';
export {
  type GoldenCase,
  type GoldenTolerance,
  goldenErrorStats,
  goldenFixturesDirectory,
  loadGoldenFixtures,
} from './testing/extractor-golden-fixtures';
export { loadResampleFixtures, type ResampleFixture } from './testing/resample-fixtures';

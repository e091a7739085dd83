// Conformance suites that every plugin implementation runs, as vitest suites (this entry imports
// vitest). The cases themselves, runnable anywhere, are in `@spgdataset/core/conformance`.
export * from './conformance';
export const testingEntry = 'testing' as const;
export { describeConformance } from './testing/describe-conformance';
export { describeFeatureExtractor } from './testing/describe-feature-extractor';
export { describeReadableDataset } from './testing/describe-readable-dataset';
export { describeResampler } from './testing/describe-resampler';
export { describeSpectrogramCache } from './testing/describe-spectrogram-cache';

import { describeConformance } from './describe-conformance';
import { type FeatureExtractorSuiteOptions, featureExtractorCases } from './feature-extractor-cases';

/**
 * The conformance suite every log-mel `FeatureExtractor` runs (DESIGN section 7), unmodified, as
 * vitest tests (the cases are `featureExtractorCases`; see there for what they check):
 *
 * ```ts
 * // packages/<yours>/test/conformance.test.ts
 * import { describeFeatureExtractor } from '@spgdataset/core/testing';
 * import { goldenFixtureReader } from '@spgdataset/golden-fixtures/node';
 * import { myMelExtractor } from '../src/index';
 * describeFeatureExtractor('my-extractor', { create: (options) => myMelExtractor(options), fixtures: goldenFixtureReader() });
 * ```
 *
 * The same cases run in a browser page through `runConformanceCases` from `@spgdataset/core/conformance`.
 */
export function describeFeatureExtractor(name: string, options: FeatureExtractorSuiteOptions): void {
  describeConformance(`${name}: FeatureExtractor conformance`, () => featureExtractorCases(options));
}

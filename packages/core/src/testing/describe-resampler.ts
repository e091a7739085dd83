import { describeConformance } from './describe-conformance';
import { type ResamplerSuiteOptions, resamplerCases } from './resampler-cases';

/**
 * The conformance suite every `Resampler` runs, unmodified, as vitest tests (the cases are
 * `resamplerCases`; see there for what they check):
 *
 * ```ts
 * import { describeResampler } from '@spgdataset/core/testing';
 * import { goldenFixtureReader } from '@spgdataset/golden-fixtures/node';
 * describeResampler('core/sinc', { create: () => sincResampler(), fixtures: goldenFixtureReader() });
 * ```
 */
export function describeResampler(name: string, options: ResamplerSuiteOptions): void {
  describeConformance(`${name}: Resampler conformance`, () => resamplerCases(options));
}

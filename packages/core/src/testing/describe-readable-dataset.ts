import { describeConformance } from './describe-conformance';
import { type ReadableDatasetSuiteOptions, readableDatasetCases } from './readable-dataset-cases';

/**
 * The conformance suite every `ReadableDataset` runs (datasets, routers, later shard datasets), as
 * vitest tests; the cases are `readableDatasetCases` (see there for what they check). Give it a
 * dataset of a few dozen items with masks, a label and meta, so every part is exercised.
 *
 * @example
 * describeReadableDataset('SpectrogramDataset', { create: () => createDataset(registry).source(...).build() });
 */
export function describeReadableDataset(name: string, options: ReadableDatasetSuiteOptions): void {
  describeConformance(`ReadableDataset conformance: ${name}`, () => readableDatasetCases(options));
}

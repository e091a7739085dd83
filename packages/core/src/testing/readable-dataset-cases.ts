import type { ReadableDataset } from '../contracts/readable-dataset';
import { type ConformanceCase, conformanceCase } from './conformance-case';
import type { DatasetCaseContext } from './dataset-case-context';
import { datasetItemCases } from './dataset-item-cases';
import { datasetLocationCases } from './dataset-location-cases';
import { datasetModeCases } from './dataset-mode-cases';

/** How a dataset implementation plugs into `describeReadableDataset`. */
export interface ReadableDatasetSuiteOptions {
  /** A fresh dataset (called once per case, and once to probe its members). Give it a few dozen items. */
  create(): ReadableDataset | Promise<ReadableDataset>;
  /** Split parts it has: `setMode(0 .. splitParts - 1)` work, `setMode(splitParts)` throws. Default 3. */
  splitParts?: number;
  /**
   * Whether `classes` is sorted (by code point) and unique, as a dataset's own classes are. Default
   * true; a router joining with the 'offset' label rule concatenates its members' classes instead.
   */
  sortedClasses?: boolean;
  /** Most items read per mode and fraction (evenly spaced, first and last included). Default 48. */
  maxItems?: number;
}

/**
 * The cases of the `ReadableDataset` conformance suite (see `describeReadableDataset`): the
 * invariants of `get`, `getBatch`, `getRelabeled`, `locate` and modes any dataset holds: lengths per
 * mode and the train/validate/test shorthands, invalid modes and fractions refused; `get(i)` in
 * range, a RangeError naming the range outside it; items carrying exactly the parts of
 * `outputConfiguration`, with equal shapes; sorted unique classes; the same items after switching
 * modes away and back; `getBatch(indices)` equal to `defaultCollate` of the `get(i)`s bit for bit;
 * `getRelabeled(i, map)` equal to `get(i)` with the label mapped; `locate(i)` consistent with the
 * items (distinct within a mode, the same item wherever a location recurs, split parts disjoint);
 * fraction subsets nested. Cases about optional members (`getBatch`, `getRelabeled`, `locate`, the
 * shorthands) are marked not applicable when the dataset lacks them.
 */
export async function readableDatasetCases(options: ReadableDatasetSuiteOptions): Promise<ConformanceCase[]> {
  const parts = options.splitParts ?? 3;
  const maxItems = options.maxItems ?? 48;
  const modes = Array.from({ length: parts }, (_, m) => m);
  const probe = await options.create();
  const has = (member: string) => typeof (probe as unknown as Record<string, unknown>)[member] === 'function';
  const cases: ConformanceCase[] = [];
  const ctx: DatasetCaseContext = {
    add: (name, run, notApplicable) =>
      cases.push(conformanceCase('dataset', name, async () => run(await options.create()), notApplicable)),
    has,
    parts,
    modes,
    maxItems,
    read: (ds, indices) => Promise.all(indices.map((i) => ds.get(i))),
    busyMode: (ds) => {
      for (const m of modes) {
        ds.setMode(m);
        if (ds.length >= 2) return m;
      }
      throw new Error('the dataset under test needs a split part with at least 2 items');
    },
  };
  datasetModeCases(ctx);
  datasetItemCases(ctx, options.sortedClasses);
  datasetLocationCases(ctx);
  return cases;
}

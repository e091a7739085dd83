import type { ReadableDataset } from '../contracts/readable-dataset';
import { check, sameBits, thrown } from './check';
import { type DatasetCaseContext, FRACTIONS, type Locatable, sampleIndices } from './dataset-case-context';
import { itemSignature, locationKey } from './item-keys';

/** The split-mode shorthands of `SplitModes` (not part of `ReadableDataset`). */
type WithShorthands = ReadableDataset & {
  train(fraction?: number): unknown;
  validate(fraction?: number): unknown;
  test(fraction?: number): unknown;
};

/**
 * The dataset's mode cases: whole-number lengths per mode and fraction, invalid modes and fractions
 * refused, the train/validate/test shorthands, the same items after switching modes away and back,
 * and fraction subsets nested.
 */
export function datasetModeCases(ctx: DatasetCaseContext): void {
  const { add, has, parts, modes, maxItems, read, busyMode } = ctx;
  const noShorthands =
    has('train') && has('validate') && has('test') ? undefined : 'no train()/validate()/test() shorthands';

  add('has a whole-number length in every mode; invalid modes and fractions throw', async (ds) => {
    for (const m of modes) {
      ds.setMode(m);
      check(Number.isInteger(ds.length) && ds.length >= 0, `length of mode ${m} (${ds.length})`).toBe(true);
      ds.setMode(m, 1);
      const whole = ds.length;
      for (const f of FRACTIONS) {
        ds.setMode(m, f);
        check(ds.length, `length of mode ${m}, fraction ${f}`).toBeLessThanOrEqual(whole);
      }
    }
    const lengths = modes.map((m) => {
      ds.setMode(m);
      return ds.length;
    });
    check(
      lengths.some((n) => n > 0),
      'some mode has items',
    ).toBe(true);
    for (const [mode, fraction] of [
      [parts, 1],
      [-1, 1],
      [0, 0],
      [0, 1.5],
    ] as const) {
      const error = await thrown(() => ds.setMode(mode, fraction));
      check(error, `setMode(${mode}, ${fraction}) must throw`).toBeDefined();
    }
  });

  add(
    'the train(), validate() and test() shorthands select split parts 0, 1, 2 and return the dataset',
    async (ds) => {
      const shorthand = ds as WithShorthands;
      const lengths = modes.map((m) => {
        ds.setMode(m);
        return ds.length;
      });
      const calls: [string, () => unknown, number][] = [
        ['train()', () => shorthand.train(), 0],
        ['validate()', () => shorthand.validate(), 1],
        ['test()', () => shorthand.test(), 2],
      ];
      for (const [name, call, mode] of calls.filter(([, , mode]) => mode < parts)) {
        check(call(), `${name} returns the dataset`).toBe(ds);
        check(ds.length, `length after ${name}`).toBe(lengths[mode]!);
      }
      const mode = busyMode(ds);
      const half = [shorthand.train, shorthand.validate, shorthand.test][mode]!.call(ds, 0.5);
      check(half, 'a shorthand with a fraction returns the dataset').toBe(ds);
      const halfLength = ds.length;
      ds.setMode(mode, 0.5);
      check(ds.length, 'setMode with the same fraction').toBe(halfLength);
    },
    noShorthands,
  );

  add('gives the same items after switching modes away and back', async (ds) => {
    const mode = busyMode(ds);
    const indices = sampleIndices(ds.length, maxItems);
    const before = await read(ds, indices);
    ds.setMode(mode, 0.5);
    for (const m of modes) ds.setMode(m);
    ds.setMode(mode);
    const after = await read(ds, indices);
    for (const [n, i] of indices.entries())
      check(sameBits(after[n], before[n]), `item ${i} after switching back`).toBe(true);
  });

  add('a larger fraction keeps every item of a smaller one', async (ds) => {
    const located = has('locate') ? (ds as Locatable) : undefined;
    for (const m of modes) {
      let smaller: Map<string, number> | undefined;
      for (const f of FRACTIONS) {
        ds.setMode(m, f);
        // Every item of the subset (not a sample): nesting is about whole sets.
        const indices = Array.from({ length: ds.length }, (_, i) => i);
        const keys = located
          ? indices.map((i) => locationKey(located.locate(i), `${m}`))
          : (await read(ds, indices)).map(itemSignature);
        const counts = new Map<string, number>();
        for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
        if (smaller)
          for (const [k, c] of smaller)
            check((counts.get(k) ?? 0) >= c, `mode ${m}: fraction ${f} lost ${k} of a smaller fraction`).toBe(
              true,
            );
        smaller = counts;
      }
    }
  });
}

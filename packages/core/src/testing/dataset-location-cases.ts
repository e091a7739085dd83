import type { Item } from '../contracts/item';
import { check, sameBits, show, thrown } from './check';
import { type DatasetCaseContext, FRACTIONS, type Locatable, sampleIndices } from './dataset-case-context';
import { locationKey } from './item-keys';

/**
 * The dataset's `locate(i)` cases: one place per item (distinct within a mode, the same item
 * wherever a location recurs) and split parts disjoint. Not applicable without `locate`.
 */
export function datasetLocationCases(ctx: DatasetCaseContext): void {
  const { add, has, modes, maxItems, read, busyMode } = ctx;
  const noLocate = has('locate') ? undefined : 'no locate(): locations are optional';

  add(
    'locate(i) names one place per item: distinct within a mode, the same item wherever it recurs',
    async (ds) => {
      const located = ds as Locatable;
      const seen = new Map<string, { item: Item; where: string }>();
      for (const m of modes) {
        for (const f of FRACTIONS) {
          ds.setMode(m, f);
          const indices = sampleIndices(ds.length, maxItems);
          const items = await read(ds, indices);
          const inMode = new Set<string>();
          indices.forEach((i, n) => {
            const where = `mode ${m}, fraction ${f}, item ${i}`;
            const key = locationKey(located.locate(i), `${m}@${f}`);
            check(inMode.has(key), `${where}: location ${key} is unique in its mode`).toBe(false);
            inMode.add(key);
            const earlier = seen.get(key);
            if (earlier)
              check(
                sameBits(items[n], earlier.item),
                `${where} equals ${earlier.where} (both at ${key})`,
              ).toBe(true);
            else seen.set(key, { item: items[n]!, where });
          });
        }
      }
      busyMode(ds);
      for (const bad of [-1, ds.length]) {
        const error = await thrown(() => located.locate(bad));
        check(error instanceof RangeError, `locate(${bad}): ${show(error)}`).toBe(true);
      }
    },
    noLocate,
  );

  add(
    'split parts hold disjoint items',
    async (ds) => {
      const located = ds as Locatable;
      const owner = new Map<string, number>();
      for (const m of modes) {
        ds.setMode(m);
        for (let i = 0; i < ds.length; i++) {
          const key = locationKey(located.locate(i), 'any mode');
          const other = owner.get(key);
          check(other === undefined || other === m, `${key} is in split parts ${other} and ${m}`).toBe(true);
          owner.set(key, m);
        }
      }
    },
    noLocate,
  );
}

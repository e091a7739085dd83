import type { Item } from '../contracts/item';
import type { Tensor } from '../contracts/tensor';
import { defaultCollate } from '../loader/default-collate';
import { check, sameBits, show, thrown } from './check';
import { type DatasetCaseContext, sampleIndices } from './dataset-case-context';

function isTensor(value: unknown, dims: number): value is Tensor {
  const t = value as Tensor | undefined;
  return (
    t !== undefined &&
    t.data instanceof Float32Array &&
    Array.isArray(t.shape) &&
    t.shape.length === dims &&
    t.shape.every((d) => Number.isInteger(d) && d >= 0) &&
    t.shape.reduce((n, d) => n * d, 1) === t.data.length
  );
}

/**
 * The dataset's item cases: `get(i)` in range and a RangeError naming the range outside it; items
 * carrying exactly the parts of `outputConfiguration`, with equal shapes; sorted unique classes
 * (unless `sortedClasses` is false); `getBatch(indices)` equal to `defaultCollate` of the `get(i)`s
 * bit for bit; `getRelabeled(i, map)` equal to `get(i)` with the label mapped.
 */
export function datasetItemCases(ctx: DatasetCaseContext, sortedClasses: boolean | undefined): void {
  const { add, has, modes, maxItems, read, busyMode } = ctx;
  const noBatch = has('getBatch') ? undefined : 'no getBatch(): batched reads are optional';
  const noRelabel = has('getRelabeled') ? undefined : 'no getRelabeled(): relabelled reads are optional';

  add(
    'get(i) resolves for i in [0, length) and rejects outside with a RangeError naming the range',
    async (ds) => {
      busyMode(ds);
      const length = ds.length;
      await read(ds, sampleIndices(length, maxItems));
      for (const bad of [-1, length, length + 7, 1.5, Number.NaN]) {
        let promise: Promise<Item> | undefined;
        const sync = await thrown(() => {
          promise = ds.get(bad);
        });
        check(sync, `get(${bad}) must reject, not throw`).toBeUndefined();
        const error = await thrown(() => promise);
        check(error instanceof RangeError, `get(${bad}) rejects with a RangeError, got ${show(error)}`).toBe(
          true,
        );
        check((error as Error).message, `get(${bad}) message`).toContain(`[0, ${length - 1}]`);
      }
    },
  );

  add('items carry exactly the parts outputConfiguration asks for, with equal shapes', async (ds) => {
    const output = ds.outputConfiguration;
    check(
      ds.classes.every((c) => typeof c === 'string'),
      'classes are strings',
    ).toBe(true);
    for (const m of modes) {
      ds.setMode(m);
      const items = await read(ds, sampleIndices(ds.length, maxItems));
      const first = items[0];
      items.forEach((item, n) => {
        const at = `mode ${m}, item ${n}`;
        check(item.spectrogram !== undefined, `${at}: spectrogram present`).toBe(output.spectrogram);
        if (output.spectrogram) {
          check(isTensor(item.spectrogram, 2), `${at}: spectrogram is a 2-D tensor`).toBe(true);
          check(item.spectrogram!.shape, `${at}: spectrogram shape`).toEqual(first!.spectrogram!.shape);
        }
        check(item.audio !== undefined, `${at}: audio present`).toBe(output.audio);
        if (output.audio) {
          check(isTensor(item.audio, 1), `${at}: audio is a 1-D tensor`).toBe(true);
          check(item.audio!.shape, `${at}: audio shape`).toEqual(first!.audio!.shape);
        }
        if (output.masks.length) {
          check(Object.keys(item.masks ?? {}).sort(), `${at}: mask names`).toEqual([...output.masks].sort());
          for (const name of output.masks) {
            const mask = item.masks![name];
            check(isTensor(mask, 1), `${at}: mask ${name} is a 1-D tensor`).toBe(true);
            if (item.spectrogram)
              check(mask!.shape[0], `${at}: mask ${name} frames`).toBe(item.spectrogram.shape[1]);
          }
        } else {
          check(item.masks, `${at}: masks`).toBeUndefined();
        }
        if (output.label !== null) {
          const label = item.label;
          check(
            Number.isInteger(label) && label! >= 0 && label! < ds.classes.length,
            `${at}: label ${label} indexes classes (${ds.classes.length})`,
          ).toBe(true);
        } else {
          check(item.label, `${at}: label`).toBeUndefined();
        }
        if (output.meta.length)
          check(Object.keys(item.meta ?? {}).sort(), `${at}: meta fields`).toEqual([...output.meta].sort());
        else check(item.meta, `${at}: meta`).toBeUndefined();
      });
    }
  });

  add(
    'classes are sorted and unique',
    async (ds) => {
      const sorted = [...new Set(ds.classes)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      check([...ds.classes]).toEqual(sorted);
    },
    sortedClasses === false ? 'classes are documented as not sorted (sortedClasses: false)' : undefined,
  );

  add(
    'getBatch(indices) equals defaultCollate of the get(i) items, bit for bit',
    async (ds) => {
      for (const m of modes) {
        ds.setMode(m);
        if (ds.length === 0) continue;
        const last = ds.length - 1;
        for (const indices of [
          [0],
          [last, 0, Math.floor(last / 2), last],
          sampleIndices(ds.length, maxItems),
        ]) {
          const batch = await ds.getBatch!(indices);
          const expected = defaultCollate(await read(ds, indices));
          check(sameBits(batch, expected), `mode ${m}, getBatch(${show(indices)})`).toBe(true);
        }
      }
      busyMode(ds);
      const error = await thrown(() => ds.getBatch!([0, ds.length]));
      check(error instanceof RangeError, `getBatch with an index out of range: ${show(error)}`).toBe(true);
    },
    noBatch,
  );

  add(
    'getRelabeled(i, map) equals get(i) with its label mapped',
    async (ds) => {
      const n = ds.classes.length;
      const reversed = Int32Array.from(ds.classes, (_, c) => 1000 + n - 1 - c);
      const shifted = Int32Array.from(ds.classes, (_, c) => 2000 + c);
      for (const m of modes) {
        ds.setMode(m);
        const indices = sampleIndices(ds.length, maxItems);
        const items = await read(ds, indices);
        // Alternating maps: each call uses its own map, whatever the previous call used.
        for (const map of [reversed, shifted, reversed]) {
          for (const [k, i] of indices.entries()) {
            const item = items[k]!;
            const expected = item.label === undefined ? item : { ...item, label: map[item.label] };
            const got = await ds.getRelabeled!(i, map);
            check(sameBits(got, expected), `mode ${m}, getRelabeled(${i}) label ${got.label}`).toBe(true);
          }
        }
      }
      busyMode(ds);
      const error = await thrown(() => ds.getRelabeled!(0, new Int32Array(n + 1)));
      check(error instanceof RangeError, `a map of ${n + 1} entries for ${n} classes: ${show(error)}`).toBe(
        true,
      );
    },
    noRelabel,
  );
}

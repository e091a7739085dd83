import type { Item } from '../contracts/item';
import type { ReadableDataset } from '../contracts/readable-dataset';
import type { Tensor } from '../contracts/tensor';
import { defaultCollate } from '../loader/default-collate';
import { check, show, thrown } from './check';
import type { ConformanceCase } from './conformance-case';

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

/** `locate` as datasets and routers have it (not part of `ReadableDataset`). */
type Locatable = ReadableDataset & { locate(index: number): unknown };
/** The split-mode shorthands of `SplitModes` (not part of `ReadableDataset`). */
type WithShorthands = ReadableDataset & {
  train(fraction?: number): unknown;
  validate(fraction?: number): unknown;
  test(fraction?: number): unknown;
};

const FRACTIONS = [0.25, 0.5, 1];

/** Bit-exact deep equality: typed arrays by their bytes (and type), everything else as `toEqual`. */
function sameBits(a: unknown, b: unknown): boolean {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    if (a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = (o: object) =>
    Object.keys(o)
      .filter((k) => (o as Record<string, unknown>)[k] !== undefined)
      .sort();
  const ka = keys(a);
  const kb = keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => sameBits((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A string that differs whenever two items' values differ (bytes of tensors, labels, meta). */
function signature(value: unknown): string {
  if (ArrayBuffer.isView(value)) {
    // FNV-1a over the bytes, with the type and length.
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    let h = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    return `${value.constructor.name}(${bytes.length}):${(h >>> 0).toString(16)}`;
  }
  if (Array.isArray(value)) return `[${value.map(signature).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${signature((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return Object.is(value, -0) ? '-0' : (JSON.stringify(value) ?? String(value));
}

/**
 * Where an item lives, as a string: a location with `path` and `window` (possibly nested under
 * `location`, as a router wraps its member's, after the member number `dataset`) names the same
 * item in every mode; any other location only within its mode (`scope`).
 */
function locationKey(location: unknown, scope: string): string {
  const l = location as { path?: unknown; window?: unknown; dataset?: unknown; location?: unknown } | null;
  if (l && typeof l.path === 'string' && l.window !== undefined) return `${l.path}#${String(l.window)}`;
  if (l && l.location !== undefined && l.dataset !== undefined)
    return `${String(l.dataset)}/${locationKey(l.location, scope)}`;
  return `${scope}:${JSON.stringify(location)}`;
}

/** Up to `max` indices of [0, length), evenly spaced, first and last included. */
function sampleIndices(length: number, max: number): number[] {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(Math.round((k * (length - 1)) / (max - 1)));
  return [...out];
}

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
  const noBatch = has('getBatch') ? undefined : 'no getBatch(): batched reads are optional';
  const noRelabel = has('getRelabeled') ? undefined : 'no getRelabeled(): relabelled reads are optional';
  const noLocate = has('locate') ? undefined : 'no locate(): locations are optional';
  const noShorthands =
    has('train') && has('validate') && has('test') ? undefined : 'no train()/validate()/test() shorthands';

  const cases: ConformanceCase[] = [];
  const add = (name: string, run: (ds: ReadableDataset) => Promise<void>, notApplicable?: string) => {
    const c = { group: 'dataset', name, run: async () => run(await options.create()) };
    cases.push(notApplicable === undefined ? c : { ...c, notApplicable });
  };
  /** Items `indices` of the current mode. */
  const read = (ds: ReadableDataset, indices: readonly number[]) =>
    Promise.all(indices.map((i) => ds.get(i)));
  /** A mode with at least two items, for the cases that need some. */
  const busyMode = (ds: ReadableDataset): number => {
    for (const m of modes) {
      ds.setMode(m);
      if (ds.length >= 2) return m;
    }
    throw new Error('the dataset under test needs a split part with at least 2 items');
  };

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
    options.sortedClasses === false
      ? 'classes are documented as not sorted (sortedClasses: false)'
      : undefined,
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
          : (await read(ds, indices)).map(signature);
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

  return cases;
}

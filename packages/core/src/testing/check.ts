// Assertions of the conformance cases: a small expect-like API with no dependencies, so the cases
// run under vitest, any other runner and in a browser page alike.

/** A failed conformance check. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

/** Short, readable rendering of a value for failure messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint')
    return Object.is(value, -0) ? '-0' : String(value);
  if (value === undefined || value === null || typeof value !== 'object') return String(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const items = Array.from(value as unknown as ArrayLike<number>);
    const head = items.slice(0, 8).map(show).join(', ');
    return `${value.constructor.name}(${items.length}) [${head}${items.length > 8 ? ', ...' : ''}]`;
  }
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  let text: string;
  try {
    text = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? String(v) : v));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/**
 * Deep equality as vitest's `toEqual`: primitives by `Object.is` (NaN equals NaN, -0 is not 0),
 * arrays and typed arrays element-wise (typed arrays of the same type), objects by their own
 * enumerable keys, keys holding `undefined` ignored.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  return equalBy(a, b, (x, y) => {
    const xs = x as unknown as ArrayLike<unknown>;
    const ys = y as unknown as ArrayLike<unknown>;
    if (xs.length !== ys.length) return false;
    for (let i = 0; i < xs.length; i++) if (!Object.is(xs[i], ys[i])) return false;
    return true;
  });
}

/**
 * Bit-exact deep equality: as `deepEqual`, but typed arrays (of the same type) compare by their
 * bytes, so NaN payloads count and a tensor equals only a bit-identical one.
 */
export function sameBits(a: unknown, b: unknown): boolean {
  return equalBy(a, b, (x, y) => {
    if (x.byteLength !== y.byteLength) return false;
    const xs = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
    const ys = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
    for (let i = 0; i < xs.length; i++) if (xs[i] !== ys[i]) return false;
    return true;
  });
}

/** Own enumerable keys that hold a value, sorted: what equality and signatures look at. */
export function definedKeys(o: object): string[] {
  return Object.keys(o)
    .filter((k) => (o as Record<string, unknown>)[k] !== undefined)
    .sort();
}

/** The structural walk of `deepEqual` and `sameBits`; `sameViews` compares two typed arrays of one type. */
function equalBy(
  a: unknown,
  b: unknown,
  sameViews: (x: ArrayBufferView, y: ArrayBufferView) => boolean,
): boolean {
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    return sameViews(a, b);
  }
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    return a.every((v, i) => equalBy(v, b[i], sameViews));
  }
  const ka = definedKeys(a);
  const kb = definedKeys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) =>
    equalBy((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], sameViews),
  );
}

export interface Checks {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatch(pattern: RegExp): void;
  toContain(item: unknown): void;
  toBeInstanceOf(type: abstract new (...args: never[]) => unknown): void;
  toBeDefined(): void;
  toBeUndefined(): void;
  toBeLessThan(bound: number): void;
  toBeLessThanOrEqual(bound: number): void;
  toBeGreaterThan(bound: number): void;
  toBeGreaterThanOrEqual(bound: number): void;
  readonly not: { toBe(unexpected: unknown): void };
}

/**
 * `check(actual, label).toBe(expected)`: throws `ConformanceFailure` naming the label, the value
 * and what was expected.
 */
export function check(actual: unknown, label?: string): Checks {
  const fail = (expectation: string): never => {
    throw new ConformanceFailure(`${label ? `${label}: ` : ''}expected ${show(actual)} ${expectation}`);
  };
  const number = (what: string): number => {
    if (typeof actual !== 'number') fail(`to be a number ${what}`);
    return actual as number;
  };
  return {
    toBe: (expected) => void (Object.is(actual, expected) || fail(`to be ${show(expected)}`)),
    toEqual: (expected) => void (deepEqual(actual, expected) || fail(`to equal ${show(expected)}`)),
    toMatch: (pattern) =>
      void ((typeof actual === 'string' && pattern.test(actual)) || fail(`to match ${pattern}`)),
    toContain: (item) =>
      void (
        (typeof actual === 'string' && typeof item === 'string' && actual.includes(item)) ||
        (Array.isArray(actual) && actual.some((x) => Object.is(x, item))) ||
        fail(`to contain ${show(item)}`)
      ),
    toBeInstanceOf: (type) => void (actual instanceof type || fail(`to be an instance of ${type.name}`)),
    toBeDefined: () => void (actual !== undefined || fail('to be defined')),
    toBeUndefined: () => void (actual === undefined || fail('to be undefined')),
    toBeLessThan: (bound) => void (number(`< ${bound}`) < bound || fail(`to be < ${bound}`)),
    toBeLessThanOrEqual: (bound) => void (number(`<= ${bound}`) <= bound || fail(`to be <= ${bound}`)),
    toBeGreaterThan: (bound) => void (number(`> ${bound}`) > bound || fail(`to be > ${bound}`)),
    toBeGreaterThanOrEqual: (bound) => void (number(`>= ${bound}`) >= bound || fail(`to be >= ${bound}`)),
    not: {
      toBe: (unexpected) => void (!Object.is(actual, unexpected) || fail(`not to be ${show(unexpected)}`)),
    },
  };
}

/** What `work` threw or rejected with (undefined when it did neither). */
export async function thrown(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  return undefined;
}

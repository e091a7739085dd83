import { type CacheKey, cacheKey } from '../cache/cache-key';
import { layeredCache } from '../cache/layered-cache';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { SpgCacheError } from '../errors/spg-cache-error';
import { float32Bits, randomTensor, specialTensor } from './cache-tensors';
import { check, thrown } from './check';
import type { ConformanceCase } from './conformance-case';

/** How a cache implementation plugs into `describeSpectrogramCache`. */
export interface SpectrogramCacheSuiteOptions {
  /** A new, empty cache over fresh storage (called once per case, and once to probe its members). */
  create(): SpectrogramCache | Promise<SpectrogramCache>;
  /** A new instance over the same storage as `cache` (e.g. same root); enables the reopen cases. */
  reopen?(cache: SpectrogramCache): SpectrogramCache | Promise<SpectrogramCache>;
  /** Storage precision: 'float16' caches are checked on values float16 holds exactly. Default 'float32'. */
  storage?: 'float32' | 'float16';
  /**
   * The cache's documented accounting: bytes `byteSize()` counts for one entry. When given, byteSize
   * must equal the sum exactly; otherwise it must be additive (0 when empty, n equal entries cost n times one).
   */
  entryBytes?(tensor: Tensor, key: CacheKey): number;
}

const fingerprintA = 'suite-fingerprint-a';

function key(path: string, fingerprint = fingerprintA, size = 1000): CacheKey {
  return cacheKey({ path, size, changeToken: 't1' }, fingerprint);
}

async function collectKeys(cache: SpectrogramCache): Promise<string[]> {
  const ids: string[] = [];
  for await (const k of cache.keys!()) ids.push(k.id);
  return ids.sort();
}

function hostileKeys(): CacheKey[] {
  const variant = '0123456789abcdef';
  const make = (path: string, v = variant, id = `${path}#${v}`) => ({ path, variant: v, id }) as CacheKey;
  return [
    make('../escape.wav'),
    make('a/../../escape.wav'),
    make('/etc/passwd'),
    make('C:/windows.wav'),
    make('a\\..\\b.wav'),
    make('a/./b.wav'),
    make('a//b.wav'),
    make(''),
    make('nul\0.wav'),
    make('ok.wav', '../../../escape'),
    make('ok.wav', 'ABCDEF0123456789'),
    make('ok.wav', variant, 'other.wav#0123456789abcdef'),
    null as unknown as CacheKey,
    { path: 42, variant, id: 'x' } as unknown as CacheKey,
  ];
}

async function expectCacheError(work: () => Promise<unknown>, code: string, what: string): Promise<void> {
  const caught = await thrown(work);
  check(SpgCacheError.isInstance(caught), `${what}: expected SpgCacheError, got ${String(caught)}`).toBe(
    true,
  );
  check((caught as SpgCacheError).code, `${what}: code`).toBe(code);
}

/**
 * The cases of the `SpectrogramCache` conformance suite, as plain async functions (see
 * `describeSpectrogramCache`): contract fields, bit-exact round trip (±0, subnormals, ±inf, NaN
 * payloads with float32 storage), missing keys, has/delete, keys, overwrite, no aliasing of the
 * input, concurrent puts to one key, what `put` resolves to, byteSize accounting, hostile keys
 * stopped by core's cache boundary before they reach the cache, bad tensors, and (with `reopen`)
 * persistence. Cases about the optional `keys()`, `byteSize()` and `removeStrays()` are marked not
 * applicable when the cache lacks them (decided from a probe instance's members).
 */
export async function spectrogramCacheCases(
  options: SpectrogramCacheSuiteOptions,
): Promise<ConformanceCase[]> {
  const storage = options.storage ?? 'float32';
  const probe = await options.create();
  const hasKeys = typeof probe.keys === 'function';
  const hasByteSize = typeof probe.byteSize === 'function';
  const hasRemoveStrays = typeof probe.removeStrays === 'function';
  await probe.dispose?.();
  const noKeys = hasKeys ? undefined : 'no keys(): listing is optional';
  const noByteSize = hasByteSize ? undefined : 'no byteSize(): accounting is optional';
  const noRemoveStrays = hasRemoveStrays ? undefined : 'no removeStrays(): cleaning up is optional';

  /** Runs `work` on a fresh cache; disposes every instance it opened afterwards. */
  const withCache =
    (work: (cache: SpectrogramCache, opened: SpectrogramCache[]) => Promise<void>) => async () => {
      const opened: SpectrogramCache[] = [];
      try {
        const cache = await options.create();
        opened.push(cache);
        await work(cache, opened);
      } finally {
        for (const cache of opened) await cache.dispose?.();
      }
    };

  const expectSameTensor = (actual: Tensor | undefined, expected: Tensor, what = 'entry') => {
    check(actual, `${what} missing`).toBeDefined();
    check(actual!.data, `${what} data`).toBeInstanceOf(Float32Array);
    check(actual!.shape, `${what} shape`).toEqual(expected.shape);
    const a = float32Bits(actual!.data);
    const e = float32Bits(expected.data);
    if (storage === 'float32') {
      check(a, `${what} bits`).toEqual(e);
    } else {
      // float16 storage keeps NaN-ness, not float32 payloads.
      const canonical = (bits: number[]) =>
        bits.map((b) => (Number.isNaN(new Float32Array(new Uint32Array([b]).buffer)[0]) ? 'nan' : b));
      check(canonical(a), `${what} values`).toEqual(canonical(e));
    }
  };

  const cases: ConformanceCase[] = [];
  const add = (name: string, run: () => Promise<void>, notApplicable?: string) =>
    cases.push(
      notApplicable === undefined
        ? { group: 'cache', name, run }
        : { group: 'cache', name, run, notApplicable },
    );

  add(
    'has the cache contract fields and JSON options',
    withCache(async (cache) => {
      check(cache.kind).toBe('cache');
      check(cache.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
      check(JSON.parse(JSON.stringify(cache.options)), 'options after a JSON round trip').toEqual(
        cache.options,
      );
    }),
  );

  add(
    'round-trips special values bit-exactly',
    withCache(async (cache) => {
      const special = specialTensor(storage);
      await cache.put(key('special.wav'), special);
      expectSameTensor(await cache.get(key('special.wav')), special);
    }),
  );

  add(
    'round-trips spectrogram-sized tensors, an empty one and nested paths',
    withCache(async (cache) => {
      const tensors: [CacheKey, Tensor][] = [
        [key('a.wav'), randomTensor(80, 192, 1, storage)],
        [key('dir/sub dir/b c.flac'), randomTensor(80, 37, 2, storage)],
        [key('dir/é-ü.mp3'), randomTensor(3, 1, 3, storage)],
        [key('empty.wav'), { data: new Float32Array(0), shape: [80, 0] }],
      ];
      for (const [k, t] of tensors) await cache.put(k, t);
      for (const [k, t] of tensors) expectSameTensor(await cache.get(k), t, k.path);
    }),
  );

  add(
    'put resolves to true or nothing when it stored the entry',
    withCache(async (cache) => {
      const t = randomTensor(4, 5, 7, storage);
      const stored = await cache.put(key('put.wav'), t);
      // A cache may decline an entry (false), e.g. over a budget; the suite's entries are small.
      check(stored === true || stored === undefined, `put resolved to ${String(stored)}`).toBe(true);
      expectSameTensor(await cache.get(key('put.wav')), t);
    }),
  );

  add(
    'returns undefined / false for a key never stored',
    withCache(async (cache) => {
      await cache.put(key('present.wav'), randomTensor(2, 2, 4, storage));
      check(await cache.get(key('absent.wav')), 'get').toBeUndefined();
      check(await cache.has(key('absent.wav')), 'has').toBe(false);
      check(await cache.delete(key('absent.wav')), 'delete').toBe(false);
      check(
        await cache.get(key('present.wav', 'another-fingerprint')),
        'get of another variant',
      ).toBeUndefined();
    }),
  );

  add(
    'keeps variants of one path apart (a changed fingerprint never meets the old entry)',
    withCache(async (cache) => {
      const old = randomTensor(4, 3, 5, storage);
      const fresh = randomTensor(4, 3, 6, storage);
      await cache.put(key('same.wav', 'fingerprint-old'), old);
      await cache.put(key('same.wav', 'fingerprint-new'), fresh);
      expectSameTensor(await cache.get(key('same.wav', 'fingerprint-new')), fresh, 'new variant');
      expectSameTensor(await cache.get(key('same.wav', 'fingerprint-old')), old, 'old variant');
      check(await cache.get(key('same.wav', 'fingerprint-new', 1001)), 'other size').toBeUndefined();
    }),
  );

  const ks = () => [key('x.wav'), key('d/y.wav'), key('d/e/z.wav')];
  add(
    'has and delete agree',
    withCache(async (cache) => {
      const keys = ks();
      for (const [i, k] of keys.entries()) await cache.put(k, randomTensor(2, 3, 10 + i, storage));
      for (const k of keys) check(await cache.has(k), `has ${k.path}`).toBe(true);
      check(await cache.delete(keys[1]!), 'delete').toBe(true);
      check(await cache.has(keys[1]!), 'has after delete').toBe(false);
      check(await cache.get(keys[1]!), 'get after delete').toBeUndefined();
      check(await cache.delete(keys[1]!), 'second delete').toBe(false);
      check(await cache.has(keys[0]!), 'has of a kept key').toBe(true);
    }),
  );

  add(
    'keys() lists exactly the stored keys, as whole CacheKeys',
    withCache(async (cache) => {
      const keys = ks();
      check(await collectKeys(cache), 'keys when empty').toEqual([]);
      for (const [i, k] of keys.entries()) await cache.put(k, randomTensor(2, 3, 10 + i, storage));
      check(await collectKeys(cache), 'keys after puts').toEqual(keys.map((k) => k.id).sort());
      await cache.delete(keys[1]!);
      check(await collectKeys(cache), 'keys after delete').toEqual([keys[0]!.id, keys[2]!.id].sort());
      // Listed keys are whole CacheKeys (path, variant and id), usable for get.
      for await (const k of cache.keys!()) {
        check(k.id, 'listed key id').toBe(`${k.path}#${k.variant}`);
        check(await cache.has(k), `has listed ${k.id}`).toBe(true);
      }
    }),
    noKeys,
  );

  add(
    'overwrites a key with a new value and shape',
    withCache(async (cache) => {
      const k = key('over.wav');
      await cache.put(k, randomTensor(2, 3, 20, storage));
      const second = randomTensor(3, 5, 21, storage);
      await cache.put(k, second);
      expectSameTensor(await cache.get(k), second);
    }),
  );

  add(
    'an overwritten key is listed once',
    withCache(async (cache) => {
      const k = key('over.wav');
      await cache.put(k, randomTensor(2, 3, 20, storage));
      await cache.put(k, randomTensor(3, 5, 21, storage));
      check(await collectKeys(cache)).toEqual([k.id]);
    }),
    noKeys,
  );

  add(
    'an overwritten key is accounted as the new value only',
    withCache(async (cache) => {
      const k = key('over.wav');
      const second = randomTensor(3, 5, 21, storage);
      await cache.put(k, randomTensor(2, 3, 20, storage));
      const oneEntry = await cache.byteSize!();
      await cache.put(k, second);
      await cache.put(key('other.wav'), second);
      const both = await cache.byteSize!();
      await cache.delete(key('other.wav'));
      check(await cache.byteSize!(), 'bytes of the overwritten entry').toBe(both / 2);
      check(oneEntry, 'bytes of one entry').toBeGreaterThan(0);
    }),
    noByteSize,
  );

  add(
    'stores a copy: changing the input afterwards changes nothing',
    withCache(async (cache) => {
      const input = randomTensor(4, 4, 30, storage);
      const snapshot = { data: input.data.slice(), shape: [...input.shape] };
      await cache.put(key('copy.wav'), input);
      input.data.fill(7);
      input.shape[0] = 99;
      expectSameTensor(await cache.get(key('copy.wav')), snapshot);
    }),
  );

  const race = async (cache: SpectrogramCache) => {
    const k = key('race.wav');
    const candidates = Array.from({ length: 8 }, (_, i) => randomTensor(8, 16 + i * 7, 40 + i, storage));
    await Promise.all(candidates.map((t) => cache.put(k, t)));
    const got = await cache.get(k);
    check(got, 'entry after concurrent puts').toBeDefined();
    const match = candidates.find(
      (t) => t.shape[1] === got!.shape[1] && float32Bits(t.data).join() === float32Bits(got!.data).join(),
    );
    check(match, 'value is none of the written ones').toBeDefined();
    return { k, match: match! };
  };
  add(
    'concurrent puts to one key end with one complete value',
    withCache(async (cache) => {
      await race(cache);
    }),
  );
  add(
    'concurrent puts to one key leave one listed key',
    withCache(async (cache) => {
      const { k } = await race(cache);
      check(await collectKeys(cache)).toEqual([k.id]);
    }),
    noKeys,
  );
  add(
    'concurrent puts to one key leave one entry accounted',
    withCache(async (cache) => {
      const { k, match } = await race(cache);
      check(await cache.byteSize!()).toBe(options.entryBytes!(match, k));
    }),
    noByteSize ??
      (options.entryBytes ? undefined : 'no entryBytes option: the exact accounting is not documented'),
  );

  add(
    'accounts byteSize exactly',
    withCache(async (cache) => {
      check(await cache.byteSize!(), 'bytes when empty').toBe(0);
      const entries: [CacheKey, Tensor][] = [
        [key('s1.wav'), randomTensor(80, 192, 50, storage)],
        [key('s2.wav'), randomTensor(80, 192, 51, storage)],
        [key('d/s3.wav'), randomTensor(64, 11, 52, storage)],
      ];
      await cache.put(entries[0]![0], entries[0]![1]);
      const one = await cache.byteSize!();
      check(one, 'bytes of one entry').toBeGreaterThanOrEqual(
        entries[0]![1].data.length * (storage === 'float32' ? 4 : 2),
      );
      await cache.put(entries[1]![0], entries[1]![1]);
      check(await cache.byteSize!(), 'bytes of two equal entries').toBe(2 * one);
      await cache.put(entries[2]![0], entries[2]![1]);
      if (options.entryBytes) {
        const expected = entries.reduce((sum, [k, t]) => sum + options.entryBytes!(t, k), 0);
        check(await cache.byteSize!(), 'bytes of three entries').toBe(expected);
      }
      for (const [k] of entries) await cache.delete(k);
      check(await cache.byteSize!(), 'bytes after deleting all').toBe(0);
    }),
    noByteSize,
  );

  add(
    "behind core's cache boundary, hostile keys are rejected with SpgCacheError and never reach the cache",
    withCache(async (cache) => {
      let reached = 0;
      const counted =
        <A extends unknown[], R>(f: (...args: A) => R) =>
        (...args: A): R => {
          reached++;
          return f(...args);
        };
      const spy: SpectrogramCache = {
        kind: 'cache',
        id: cache.id,
        options: cache.options,
        get: counted((k) => cache.get(k)),
        put: counted((k, t) => cache.put(k, t)),
        has: counted((k) => cache.has(k)),
        delete: counted((k) => cache.delete(k)),
      };
      const boundary = layeredCache(undefined, spy);
      const t = randomTensor(2, 2, 60, storage);
      for (const bad of hostileKeys()) {
        const what = `key ${JSON.stringify(bad)}`;
        await expectCacheError(() => boundary.put(bad, t), 'SPG_CACHE_BAD_KEY', `put ${what}`);
        await expectCacheError(() => boundary.get(bad), 'SPG_CACHE_BAD_KEY', `get ${what}`);
        await expectCacheError(() => boundary.has(bad), 'SPG_CACHE_BAD_KEY', `has ${what}`);
        await expectCacheError(() => boundary.delete(bad), 'SPG_CACHE_BAD_KEY', `delete ${what}`);
      }
      check(reached, 'calls that reached the cache').toBe(0);
      if (cache.keys) check(await collectKeys(cache), 'keys').toEqual([]);
      if (cache.byteSize) check(await cache.byteSize(), 'bytes').toBe(0);
      // A well-formed key passes through.
      await boundary.put(key('fine.wav'), t);
      expectSameTensor(await cache.get(key('fine.wav')), t, 'entry put through the boundary');
    }),
  );

  add(
    'rejects a tensor whose data does not match its shape with SpgCacheError',
    withCache(async (cache) => {
      await expectCacheError(
        () => cache.put(key('bad.wav'), { data: new Float32Array(5), shape: [2, 3] }),
        'SPG_CACHE_BAD_TENSOR',
        'shape [2, 3] with 5 values',
      );
      await expectCacheError(
        () => cache.put(key('bad.wav'), { data: [1, 2] as unknown as Float32Array, shape: [2] }),
        'SPG_CACHE_BAD_TENSOR',
        'a plain array',
      );
      check(await cache.has(key('bad.wav')), 'has after rejected puts').toBe(false);
    }),
  );

  add(
    'removeStrays keeps every entry and finds nothing to remove after clean writes',
    withCache(async (cache) => {
      const entries: [CacheKey, Tensor][] = [
        [key('strays/a.wav'), randomTensor(8, 30, 80, storage)],
        [key('strays/b.wav'), randomTensor(8, 31, 81, storage)],
      ];
      for (const [k, t] of entries) await cache.put(k, t);
      check(await cache.removeStrays!(entries[0]![0]), 'removed after clean writes').toBe(0);
      check(await cache.removeStrays!(key('strays/never-written.wav')), 'removed for a missing key').toBe(0);
      for (const [k, t] of entries) expectSameTensor(await cache.get(k), t, k.path);
      if (cache.keys) check(await collectKeys(cache), 'keys').toEqual(entries.map(([k]) => k.id).sort());
    }),
    noRemoveStrays,
  );

  const reopenEntries = (): [CacheKey, Tensor][] => [
    [key('keep/a.wav'), randomTensor(80, 50, 70, storage)],
    [key('keep/b.wav'), specialTensor(storage)],
  ];
  const noReopen = options.reopen ? undefined : 'no reopen option: the cache is not persistent';
  add(
    'keeps its data when reopened',
    withCache(async (cache, opened) => {
      const entries = reopenEntries();
      for (const [k, t] of entries) await cache.put(k, t);
      const again = await options.reopen!(cache);
      opened.push(again);
      for (const [k, t] of entries) expectSameTensor(await again.get(k), t, k.path);
    }),
    noReopen,
  );
  add(
    'lists the same keys when reopened',
    withCache(async (cache, opened) => {
      const entries = reopenEntries();
      for (const [k, t] of entries) await cache.put(k, t);
      const again = await options.reopen!(cache);
      opened.push(again);
      check(await collectKeys(again)).toEqual(entries.map(([k]) => k.id).sort());
    }),
    noReopen ?? noKeys,
  );
  add(
    'accounts the same bytes when reopened',
    withCache(async (cache, opened) => {
      const entries = reopenEntries();
      for (const [k, t] of entries) await cache.put(k, t);
      const bytes = await cache.byteSize!();
      const again = await options.reopen!(cache);
      opened.push(again);
      check(await again.byteSize!()).toBe(bytes);
    }),
    noReopen ?? noByteSize,
  );

  return cases;
}

import { afterEach, describe, expect, it } from 'vitest';
import { type CacheKey, cacheKey } from '../cache/cache-key';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { SpgCacheError } from '../errors/spg-cache-error';
import { float32Bits, randomTensor, specialTensor } from './cache-tensors';

/** How a cache implementation plugs into `describeSpectrogramCache`. */
export interface SpectrogramCacheSuiteOptions {
  /** A new, empty cache over fresh storage (called once per test). */
  create(): SpectrogramCache | Promise<SpectrogramCache>;
  /** A new instance over the same storage as `cache` (e.g. same root); enables the reopen test. */
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
  for await (const k of cache.keys()) ids.push(k.id);
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

async function expectCacheError(work: () => Promise<unknown>, code: string): Promise<void> {
  let caught: unknown;
  try {
    await work();
  } catch (error) {
    caught = error;
  }
  expect(SpgCacheError.isInstance(caught), `expected SpgCacheError, got ${String(caught)}`).toBe(true);
  expect((caught as SpgCacheError).code).toBe(code);
}

/**
 * The conformance suite every `SpectrogramCache` runs, unmodified: contract fields, bit-exact round
 * trip (±0, subnormals, ±inf, NaN payloads with float32 storage), missing keys, has/delete/keys,
 * overwrite, no aliasing of the input, concurrent puts to one key, byteSize accounting, hostile keys,
 * bad tensors, and (with `reopen`) persistence.
 *
 * @example
 * describeSpectrogramCache('fsCache', { create: () => fsCache({ root: freshDir() }),
 *   reopen: (c) => fsCache(c.options as FsCacheOptions), entryBytes: (t) => 128 + 4 * t.data.length });
 */
export function describeSpectrogramCache(name: string, options: SpectrogramCacheSuiteOptions): void {
  const storage = options.storage ?? 'float32';
  const opened: SpectrogramCache[] = [];
  const create = async () => {
    const cache = await options.create();
    opened.push(cache);
    return cache;
  };

  const expectSameTensor = (actual: Tensor | undefined, expected: Tensor) => {
    expect(actual, 'entry missing').toBeDefined();
    expect(actual!.data).toBeInstanceOf(Float32Array);
    expect(actual!.shape).toEqual(expected.shape);
    const a = float32Bits(actual!.data);
    const e = float32Bits(expected.data);
    if (storage === 'float32') {
      expect(a).toEqual(e);
    } else {
      // float16 storage keeps NaN-ness, not float32 payloads.
      const canonical = (bits: number[]) =>
        bits.map((b) => (Number.isNaN(new Float32Array(new Uint32Array([b]).buffer)[0]) ? 'nan' : b));
      expect(canonical(a)).toEqual(canonical(e));
    }
  };

  describe(`SpectrogramCache conformance: ${name}`, () => {
    afterEach(async () => {
      for (const cache of opened.splice(0)) await cache.dispose?.();
    });

    it('has the cache contract fields and JSON options', async () => {
      const cache = await create();
      expect(cache.kind).toBe('cache');
      expect(cache.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(JSON.parse(JSON.stringify(cache.options))).toEqual(cache.options);
    });

    it('round-trips special values bit-exactly', async () => {
      const cache = await create();
      const special = specialTensor(storage);
      await cache.put(key('special.wav'), special);
      expectSameTensor(await cache.get(key('special.wav')), special);
    });

    it('round-trips spectrogram-sized tensors, an empty one and nested paths', async () => {
      const cache = await create();
      const tensors: [CacheKey, Tensor][] = [
        [key('a.wav'), randomTensor(80, 192, 1, storage)],
        [key('dir/sub dir/b c.flac'), randomTensor(80, 37, 2, storage)],
        [key('dir/é-ü.mp3'), randomTensor(3, 1, 3, storage)],
        [key('empty.wav'), { data: new Float32Array(0), shape: [80, 0] }],
      ];
      for (const [k, t] of tensors) await cache.put(k, t);
      for (const [k, t] of tensors) expectSameTensor(await cache.get(k), t);
    });

    it('returns undefined / false for a key never stored', async () => {
      const cache = await create();
      await cache.put(key('present.wav'), randomTensor(2, 2, 4, storage));
      expect(await cache.get(key('absent.wav'))).toBeUndefined();
      expect(await cache.has(key('absent.wav'))).toBe(false);
      expect(await cache.delete(key('absent.wav'))).toBe(false);
      expect(await cache.get(key('present.wav', 'another-fingerprint'))).toBeUndefined();
    });

    it('keeps variants of one path apart (a changed fingerprint never meets the old entry)', async () => {
      const cache = await create();
      const old = randomTensor(4, 3, 5, storage);
      const fresh = randomTensor(4, 3, 6, storage);
      await cache.put(key('same.wav', 'fingerprint-old'), old);
      await cache.put(key('same.wav', 'fingerprint-new'), fresh);
      expectSameTensor(await cache.get(key('same.wav', 'fingerprint-new')), fresh);
      expectSameTensor(await cache.get(key('same.wav', 'fingerprint-old')), old);
      expect(await cache.get(key('same.wav', 'fingerprint-new', 1001))).toBeUndefined();
    });

    it('has, delete and keys agree', async () => {
      const cache = await create();
      const ks = [key('x.wav'), key('d/y.wav'), key('d/e/z.wav')];
      expect(await collectKeys(cache)).toEqual([]);
      for (const [i, k] of ks.entries()) await cache.put(k, randomTensor(2, 3, 10 + i, storage));
      expect(await collectKeys(cache)).toEqual(ks.map((k) => k.id).sort());
      for (const k of ks) expect(await cache.has(k)).toBe(true);
      expect(await cache.delete(ks[1]!)).toBe(true);
      expect(await cache.has(ks[1]!)).toBe(false);
      expect(await cache.get(ks[1]!)).toBeUndefined();
      expect(await cache.delete(ks[1]!)).toBe(false);
      expect(await collectKeys(cache)).toEqual([ks[0]!.id, ks[2]!.id].sort());
      // Listed keys are whole CacheKeys (path, variant and id), usable for get.
      for await (const k of cache.keys()) {
        expect(k.id).toBe(`${k.path}#${k.variant}`);
        expect(await cache.has(k)).toBe(true);
      }
    });

    it('overwrites a key with a new value and shape', async () => {
      const cache = await create();
      const k = key('over.wav');
      const first = randomTensor(2, 3, 20, storage);
      const second = randomTensor(3, 5, 21, storage);
      await cache.put(k, first);
      const oneEntry = await cache.byteSize();
      await cache.put(k, second);
      expectSameTensor(await cache.get(k), second);
      expect(await collectKeys(cache)).toEqual([k.id]);
      await cache.put(key('other.wav'), second);
      const both = await cache.byteSize();
      await cache.delete(key('other.wav'));
      // The overwritten entry is accounted as the new value only.
      expect(await cache.byteSize()).toBe(both / 2);
      expect(oneEntry).toBeGreaterThan(0);
    });

    it('stores a copy: changing the input afterwards changes nothing', async () => {
      const cache = await create();
      const input = randomTensor(4, 4, 30, storage);
      const snapshot = { data: input.data.slice(), shape: [...input.shape] };
      await cache.put(key('copy.wav'), input);
      input.data.fill(7);
      input.shape[0] = 99;
      expectSameTensor(await cache.get(key('copy.wav')), snapshot);
    });

    it('concurrent puts to one key end with one complete value', async () => {
      const cache = await create();
      const k = key('race.wav');
      const candidates = Array.from({ length: 8 }, (_, i) => randomTensor(8, 16 + i * 7, 40 + i, storage));
      await Promise.all(candidates.map((t) => cache.put(k, t)));
      const got = await cache.get(k);
      expect(got).toBeDefined();
      const match = candidates.find(
        (t) => t.shape[1] === got!.shape[1] && float32Bits(t.data).join() === float32Bits(got!.data).join(),
      );
      expect(match, 'value is none of the written ones').toBeDefined();
      expect(await collectKeys(cache)).toEqual([k.id]);
      if (options.entryBytes) expect(await cache.byteSize()).toBe(options.entryBytes(match!, k));
    });

    it('accounts byteSize exactly', async () => {
      const cache = await create();
      expect(await cache.byteSize()).toBe(0);
      const entries: [CacheKey, Tensor][] = [
        [key('s1.wav'), randomTensor(80, 192, 50, storage)],
        [key('s2.wav'), randomTensor(80, 192, 51, storage)],
        [key('d/s3.wav'), randomTensor(64, 11, 52, storage)],
      ];
      await cache.put(entries[0]![0], entries[0]![1]);
      const one = await cache.byteSize();
      expect(one).toBeGreaterThanOrEqual(entries[0]![1].data.length * (storage === 'float32' ? 4 : 2));
      await cache.put(entries[1]![0], entries[1]![1]);
      expect(await cache.byteSize()).toBe(2 * one);
      await cache.put(entries[2]![0], entries[2]![1]);
      if (options.entryBytes) {
        const expected = entries.reduce((sum, [k, t]) => sum + options.entryBytes!(t, k), 0);
        expect(await cache.byteSize()).toBe(expected);
      }
      for (const [k] of entries) await cache.delete(k);
      expect(await cache.byteSize()).toBe(0);
    });

    it('rejects hostile keys with SpgCacheError on every operation and stores nothing', async () => {
      const cache = await create();
      const t = randomTensor(2, 2, 60, storage);
      for (const bad of hostileKeys()) {
        await expectCacheError(() => cache.put(bad, t), 'SPG_CACHE_BAD_KEY');
        await expectCacheError(() => cache.get(bad), 'SPG_CACHE_BAD_KEY');
        await expectCacheError(() => cache.has(bad), 'SPG_CACHE_BAD_KEY');
        await expectCacheError(() => cache.delete(bad), 'SPG_CACHE_BAD_KEY');
      }
      expect(await collectKeys(cache)).toEqual([]);
      expect(await cache.byteSize()).toBe(0);
    });

    it('rejects a tensor whose data does not match its shape with SpgCacheError', async () => {
      const cache = await create();
      await expectCacheError(
        () => cache.put(key('bad.wav'), { data: new Float32Array(5), shape: [2, 3] }),
        'SPG_CACHE_BAD_TENSOR',
      );
      await expectCacheError(
        () => cache.put(key('bad.wav'), { data: [1, 2] as unknown as Float32Array, shape: [2] }),
        'SPG_CACHE_BAD_TENSOR',
      );
      expect(await cache.has(key('bad.wav'))).toBe(false);
    });

    it('removeStrays (optional) keeps every entry and finds nothing to remove after clean writes', async (ctx) => {
      const cache = await create();
      if (!cache.removeStrays) return ctx.skip();
      const entries: [CacheKey, Tensor][] = [
        [key('strays/a.wav'), randomTensor(8, 30, 80, storage)],
        [key('strays/b.wav'), randomTensor(8, 31, 81, storage)],
      ];
      for (const [k, t] of entries) await cache.put(k, t);
      const bytes = await cache.byteSize();
      expect(await cache.removeStrays(entries[0]![0])).toBe(0);
      expect(await cache.removeStrays(key('strays/never-written.wav'))).toBe(0);
      for (const [k, t] of entries) expectSameTensor(await cache.get(k), t);
      expect(await collectKeys(cache)).toEqual(entries.map(([k]) => k.id).sort());
      expect(await cache.byteSize()).toBe(bytes);
    });

    it.skipIf(!options.reopen)('keeps its data when reopened', async () => {
      const cache = await create();
      const entries: [CacheKey, Tensor][] = [
        [key('keep/a.wav'), randomTensor(80, 50, 70, storage)],
        [key('keep/b.wav'), specialTensor(storage)],
      ];
      for (const [k, t] of entries) await cache.put(k, t);
      const bytes = await cache.byteSize();
      const again = await options.reopen!(cache);
      opened.push(again);
      for (const [k, t] of entries) expectSameTensor(await again.get(k), t);
      expect(await collectKeys(again)).toEqual(entries.map(([k]) => k.id).sort());
      expect(await again.byteSize()).toBe(bytes);
    });
  });
}

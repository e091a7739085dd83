import type { CacheKey } from '../cache/cache-key';
import { layeredCache } from '../cache/layered-cache';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import { type CacheCaseContext, collectKeys, expectCacheError, key } from './cache-case-context';
import { randomTensor } from './cache-tensors';
import { check } from './check';

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

/**
 * The cache's boundary cases: behind core's cache boundary (`layeredCache`), hostile keys are
 * rejected with `SpgCacheError` before they reach the cache; tensors whose data does not match
 * their shape are rejected by the cache itself.
 */
export function cacheBoundaryCases(ctx: CacheCaseContext): void {
  const { add, storage, expectSameTensor } = ctx;
  add(
    "behind core's cache boundary, hostile keys are rejected with SpgCacheError and never reach the cache",
    async (cache) => {
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
    },
  );

  add('rejects a tensor whose data does not match its shape with SpgCacheError', async (cache) => {
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
  });
}

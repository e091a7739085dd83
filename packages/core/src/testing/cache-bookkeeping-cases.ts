import type { CacheKey } from '../cache/cache-key';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { type CacheCaseContext, collectKeys, key } from './cache-case-context';
import { float32Bits, randomTensor } from './cache-tensors';
import { check } from './check';

/**
 * The cache's bookkeeping cases: `has` and `delete` agree, `keys()` lists exactly the stored keys,
 * an overwritten key is listed and accounted once, concurrent puts to one key end with one complete
 * value, `byteSize()` is exact, `removeStrays()` keeps every entry. Cases about the optional
 * `keys()`, `byteSize()` and `removeStrays()` are not applicable when the cache lacks them.
 */
export function cacheBookkeepingCases(ctx: CacheCaseContext, noRemoveStrays: string | undefined): void {
  const { add, options, storage, expectSameTensor, noKeys, noByteSize } = ctx;
  const ks = () => [key('x.wav'), key('d/y.wav'), key('d/e/z.wav')];
  add('has and delete agree', async (cache) => {
    const keys = ks();
    for (const [i, k] of keys.entries()) await cache.put(k, randomTensor(2, 3, 10 + i, storage));
    for (const k of keys) check(await cache.has(k), `has ${k.path}`).toBe(true);
    check(await cache.delete(keys[1]!), 'delete').toBe(true);
    check(await cache.has(keys[1]!), 'has after delete').toBe(false);
    check(await cache.get(keys[1]!), 'get after delete').toBeUndefined();
    check(await cache.delete(keys[1]!), 'second delete').toBe(false);
    check(await cache.has(keys[0]!), 'has of a kept key').toBe(true);
  });

  add(
    'keys() lists exactly the stored keys, as whole CacheKeys',
    async (cache) => {
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
    },
    noKeys,
  );

  add(
    'an overwritten key is listed once',
    async (cache) => {
      const k = key('over.wav');
      await cache.put(k, randomTensor(2, 3, 20, storage));
      await cache.put(k, randomTensor(3, 5, 21, storage));
      check(await collectKeys(cache)).toEqual([k.id]);
    },
    noKeys,
  );

  add(
    'an overwritten key is accounted as the new value only',
    async (cache) => {
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
    },
    noByteSize,
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
  add('concurrent puts to one key end with one complete value', async (cache) => {
    await race(cache);
  });
  add(
    'concurrent puts to one key leave one listed key',
    async (cache) => {
      const { k } = await race(cache);
      check(await collectKeys(cache)).toEqual([k.id]);
    },
    noKeys,
  );
  add(
    'concurrent puts to one key leave one entry accounted',
    async (cache) => {
      const { k, match } = await race(cache);
      check(await cache.byteSize!()).toBe(options.entryBytes!(match, k));
    },
    noByteSize ??
      (options.entryBytes ? undefined : 'no entryBytes option: the exact accounting is not documented'),
  );

  add(
    'accounts byteSize exactly',
    async (cache) => {
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
    },
    noByteSize,
  );

  add(
    'removeStrays keeps every entry and finds nothing to remove after clean writes',
    async (cache) => {
      const entries: [CacheKey, Tensor][] = [
        [key('strays/a.wav'), randomTensor(8, 30, 80, storage)],
        [key('strays/b.wav'), randomTensor(8, 31, 81, storage)],
      ];
      for (const [k, t] of entries) await cache.put(k, t);
      check(await cache.removeStrays!(entries[0]![0]), 'removed after clean writes').toBe(0);
      check(await cache.removeStrays!(key('strays/never-written.wav')), 'removed for a missing key').toBe(0);
      for (const [k, t] of entries) expectSameTensor(await cache.get(k), t, k.path);
      if (cache.keys) check(await collectKeys(cache), 'keys').toEqual(entries.map(([k]) => k.id).sort());
    },
    noRemoveStrays,
  );
}

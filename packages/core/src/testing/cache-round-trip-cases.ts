import type { CacheKey } from '../cache/cache-key';
import type { Tensor } from '../contracts/tensor';
import { type CacheCaseContext, key } from './cache-case-context';
import { randomTensor, specialTensor } from './cache-tensors';
import { check } from './check';

/**
 * The cache's round-trip cases: contract fields and JSON options; special values (±0, subnormals,
 * ±inf, NaN payloads with float32 storage), spectrogram-sized, empty and nested-path entries back
 * bit for bit; what `put` resolves to; missing keys; variants of one path kept apart; overwrites;
 * a stored copy unaffected by later changes to the input.
 */
export function cacheRoundTripCases(ctx: CacheCaseContext): void {
  const { add, storage, expectSameTensor } = ctx;
  add('has the cache contract fields and JSON options', async (cache) => {
    check(cache.kind).toBe('cache');
    check(cache.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
    check(JSON.parse(JSON.stringify(cache.options)), 'options after a JSON round trip').toEqual(
      cache.options,
    );
  });

  add('round-trips special values bit-exactly', async (cache) => {
    const special = specialTensor(storage);
    await cache.put(key('special.wav'), special);
    expectSameTensor(await cache.get(key('special.wav')), special);
  });

  add('round-trips spectrogram-sized tensors, an empty one and nested paths', async (cache) => {
    const tensors: [CacheKey, Tensor][] = [
      [key('a.wav'), randomTensor(80, 192, 1, storage)],
      [key('dir/sub dir/b c.flac'), randomTensor(80, 37, 2, storage)],
      [key('dir/é-ü.mp3'), randomTensor(3, 1, 3, storage)],
      [key('empty.wav'), { data: new Float32Array(0), shape: [80, 0] }],
    ];
    for (const [k, t] of tensors) await cache.put(k, t);
    for (const [k, t] of tensors) expectSameTensor(await cache.get(k), t, k.path);
  });

  add('put resolves to true or nothing when it stored the entry', async (cache) => {
    const t = randomTensor(4, 5, 7, storage);
    const stored = await cache.put(key('put.wav'), t);
    // A cache may decline an entry (false), e.g. over a budget; the suite's entries are small.
    check(stored === true || stored === undefined, `put resolved to ${String(stored)}`).toBe(true);
    expectSameTensor(await cache.get(key('put.wav')), t);
  });

  add('returns undefined / false for a key never stored', async (cache) => {
    await cache.put(key('present.wav'), randomTensor(2, 2, 4, storage));
    check(await cache.get(key('absent.wav')), 'get').toBeUndefined();
    check(await cache.has(key('absent.wav')), 'has').toBe(false);
    check(await cache.delete(key('absent.wav')), 'delete').toBe(false);
    check(
      await cache.get(key('present.wav', 'another-fingerprint')),
      'get of another variant',
    ).toBeUndefined();
  });

  add('keeps variants of one path apart (a changed fingerprint never meets the old entry)', async (cache) => {
    const old = randomTensor(4, 3, 5, storage);
    const fresh = randomTensor(4, 3, 6, storage);
    await cache.put(key('same.wav', 'fingerprint-old'), old);
    await cache.put(key('same.wav', 'fingerprint-new'), fresh);
    expectSameTensor(await cache.get(key('same.wav', 'fingerprint-new')), fresh, 'new variant');
    expectSameTensor(await cache.get(key('same.wav', 'fingerprint-old')), old, 'old variant');
    check(await cache.get(key('same.wav', 'fingerprint-new', 1001)), 'other size').toBeUndefined();
  });

  add('overwrites a key with a new value and shape', async (cache) => {
    const k = key('over.wav');
    await cache.put(k, randomTensor(2, 3, 20, storage));
    const second = randomTensor(3, 5, 21, storage);
    await cache.put(k, second);
    expectSameTensor(await cache.get(k), second);
  });

  add('stores a copy: changing the input afterwards changes nothing', async (cache) => {
    const input = randomTensor(4, 4, 30, storage);
    const snapshot = { data: input.data.slice(), shape: [...input.shape] };
    await cache.put(key('copy.wav'), input);
    input.data.fill(7);
    input.shape[0] = 99;
    expectSameTensor(await cache.get(key('copy.wav')), snapshot);
  });
}

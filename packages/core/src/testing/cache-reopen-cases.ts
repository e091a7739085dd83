import type { CacheKey } from '../cache/cache-key';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { type CacheCaseContext, collectKeys, key } from './cache-case-context';
import { randomTensor, specialTensor } from './cache-tensors';
import { check } from './check';

/**
 * The cache's persistence cases (with the suite's `reopen` option): a new instance over the same
 * storage returns the same entries, lists the same keys and accounts the same bytes.
 */
export function cacheReopenCases(ctx: CacheCaseContext): void {
  const { add, options, storage, expectSameTensor, noKeys, noByteSize } = ctx;
  const noReopen = options.reopen ? undefined : 'no reopen option: the cache is not persistent';
  /** Puts the entries the reopen cases look for. */
  const putEntries = async (cache: SpectrogramCache): Promise<[CacheKey, Tensor][]> => {
    const entries: [CacheKey, Tensor][] = [
      [key('keep/a.wav'), randomTensor(80, 50, 70, storage)],
      [key('keep/b.wav'), specialTensor(storage)],
    ];
    for (const [k, t] of entries) await cache.put(k, t);
    return entries;
  };
  /** A new instance over the storage of `cache`, disposed with the case. */
  const reopen = async (cache: SpectrogramCache, opened: SpectrogramCache[]) => {
    const again = await options.reopen!(cache);
    opened.push(again);
    return again;
  };

  add(
    'keeps its data when reopened',
    async (cache, opened) => {
      const entries = await putEntries(cache);
      const again = await reopen(cache, opened);
      for (const [k, t] of entries) expectSameTensor(await again.get(k), t, k.path);
    },
    noReopen,
  );
  add(
    'lists the same keys when reopened',
    async (cache, opened) => {
      const entries = await putEntries(cache);
      const again = await reopen(cache, opened);
      check(await collectKeys(again)).toEqual(entries.map(([k]) => k.id).sort());
    },
    noReopen ?? noKeys,
  );
  add(
    'accounts the same bytes when reopened',
    async (cache, opened) => {
      await putEntries(cache);
      const bytes = await cache.byteSize!();
      const again = await reopen(cache, opened);
      check(await again.byteSize!()).toBe(bytes);
    },
    noReopen ?? noByteSize,
  );
}

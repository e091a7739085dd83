import { type CacheKey, cacheKey } from '../cache/cache-key';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { SpgCacheError } from '../errors/spg-cache-error';
import { check, thrown } from './check';
import type { SpectrogramCacheSuiteOptions } from './spectrogram-cache-cases';

/** Runs on a fresh cache; instances it opens besides (e.g. reopened ones) go in `opened`, disposed after. */
export type CacheWork = (cache: SpectrogramCache, opened: SpectrogramCache[]) => Promise<void>;

/** What the `SpectrogramCache` case groups share. */
export interface CacheCaseContext {
  options: SpectrogramCacheSuiteOptions;
  storage: 'float32' | 'float16';
  /** Adds a case that runs `work` on a fresh cache; `notApplicable` says why it does not apply. */
  add(name: string, work: CacheWork, notApplicable?: string): void;
  /** Checks that `actual` holds `expected`: bit for bit with float32 storage, NaN-ness kept with float16. */
  expectSameTensor(actual: Tensor | undefined, expected: Tensor, what?: string): void;
  /** Why the cases about `keys()` / `byteSize()` do not apply (unset when the cache has them). */
  noKeys: string | undefined;
  noByteSize: string | undefined;
}

const fingerprintA = 'suite-fingerprint-a';

/** The cache key of `path` (size and change token fixed) for `fingerprint`. */
export function key(path: string, fingerprint = fingerprintA, size = 1000): CacheKey {
  return cacheKey({ path, size, changeToken: 't1' }, fingerprint);
}

/** The ids of every key the cache lists, sorted. */
export async function collectKeys(cache: SpectrogramCache): Promise<string[]> {
  const ids: string[] = [];
  for await (const k of cache.keys!()) ids.push(k.id);
  return ids.sort();
}

/** Checks that `work` throws (or rejects with) `SpgCacheError` with `code`. */
export async function expectCacheError(
  work: () => Promise<unknown>,
  code: string,
  what: string,
): Promise<void> {
  const caught = await thrown(work);
  check(SpgCacheError.isInstance(caught), `${what}: expected SpgCacheError, got ${String(caught)}`).toBe(
    true,
  );
  check((caught as SpgCacheError).code, `${what}: code`).toBe(code);
}

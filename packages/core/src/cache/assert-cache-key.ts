import type { CacheOperation } from '../errors/spg-cache-error';
import { SpgCacheError } from '../errors/spg-cache-error';
import { type CacheKey, parseCacheKey } from './cache-key';

// Frozen keys already checked (keys from cacheKey()/parseCacheKey() are frozen, so they cannot change
// after the check). Weak, so keys are not kept alive by the memo.
const checked = new WeakSet<object>();

/**
 * Throws `SpgCacheError` (`SPG_CACHE_BAD_KEY`) unless `key` is a well-formed CacheKey: a safe relative
 * path, a 16-hex-digit variant and `id === path#variant`. A key object can be made by hand without
 * `cacheKey()`, so the cache boundary (`layeredCache`) calls it on every operation; a cache that maps
 * keys to files may call it again before touching storage (a memo makes repeats cheap).
 */
export function assertCacheKey(key: CacheKey, operation: CacheOperation): void {
  if (typeof key === 'object' && key !== null && checked.has(key)) return;
  const path = (key as { path?: unknown } | null)?.path;
  const variant = (key as { variant?: unknown } | null)?.variant;
  if (typeof path !== 'string' || typeof variant !== 'string') {
    throw new SpgCacheError(
      'SPG_CACHE_BAD_KEY',
      `Cache key ${JSON.stringify(key)} is not a CacheKey: make keys with cacheKey() from @spgdataset/core.`,
      { operation },
    );
  }
  try {
    parseCacheKey(path, variant);
  } catch (error) {
    if (SpgCacheError.isInstance(error))
      throw new SpgCacheError(
        error.code,
        error.message,
        { key: `${path}#${variant}`, operation },
        { cause: error },
      );
    throw error;
  }
  if (key.id !== `${path}#${variant}`) {
    throw new SpgCacheError(
      'SPG_CACHE_BAD_KEY',
      `Cache key id "${String(key.id)}" does not match its path and variant ("${path}#${variant}"): make keys with cacheKey().`,
      { key: `${path}#${variant}`, operation },
    );
  }
  if (Object.isFrozen(key)) checked.add(key);
}

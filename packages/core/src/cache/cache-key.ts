import type { CacheKey, FileIdentity } from '../contracts/cache-key';
import { SpgCacheError } from '../errors/spg-cache-error';
import { fingerprint } from '../fingerprint/fingerprint';

export type { CacheKey, FileIdentity };

/** Makes the key of `file`'s spectrogram computed with `featureFingerprint`. */
export function cacheKey(file: FileIdentity, featureFingerprint: string): CacheKey {
  const variant = fingerprint({ f: featureFingerprint, size: file.size, token: file.changeToken });
  return parseCacheKey(file.path, variant);
}

/** Rebuilds a key from its parts (e.g. a cache listing its files), validating both. */
export function parseCacheKey(path: string, variant: string): CacheKey {
  assertSafeRelativePath(path, 'key');
  if (!/^[0-9a-f]{16}$/.test(variant)) {
    throw new SpgCacheError('SPG_CACHE_BAD_KEY', `Cache key variant "${variant}" is not 16 hex digits.`, {
      key: `${path}#${variant}`,
      operation: 'key',
    });
  }
  return Object.freeze({ path, variant, id: `${path}#${variant}` });
}

/** Throws unless `path` is a relative POSIX path with no empty, `.` or `..` segment. */
export function assertSafeRelativePath(path: string, operation: 'key' | 'get' | 'put' = 'key'): void {
  const segments = path.split('/');
  const bad =
    path.length === 0 ||
    path.startsWith('/') ||
    path.includes('\\') ||
    path.includes('\0') ||
    /^[a-zA-Z]:/.test(path) ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) {
    throw new SpgCacheError(
      'SPG_CACHE_BAD_KEY',
      `Cache key path "${path}" is not a safe relative POSIX path (no leading "/", no "..", ".", empty segments or backslashes).`,
      { key: path, operation },
    );
  }
}

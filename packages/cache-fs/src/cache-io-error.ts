import { type CacheOperation, SpgCacheError } from '@spgdataset/core';

const verbs: Record<CacheOperation, string> = {
  get: 'read',
  put: 'write',
  has: 'check',
  delete: 'delete',
  keys: 'list',
  key: 'resolve',
};

/** Turns a filesystem error into an `SpgCacheError` naming the path, the operation and a way out. */
export function cacheIoError(
  operation: CacheOperation,
  path: string,
  error: unknown,
  key?: string,
): SpgCacheError {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  let code = 'SPG_CACHE_IO';
  let advice = 'Check that the cache root exists and is a directory this process may use.';
  if (errno === 'ENOSPC' || errno === 'EDQUOT') {
    code = 'SPG_CACHE_DISK_FULL';
    advice = 'The disk (or quota) is full: free space or point spectrogramsRoot at a larger disk.';
  } else if (errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM') {
    code = 'SPG_CACHE_NOT_WRITABLE';
    advice =
      operation === 'get' || operation === 'keys' || operation === 'has'
        ? 'Give this process read permission on the cache root.'
        : 'The cache root is read-only or not writable by this process: make it writable or choose another spectrogramsRoot.';
  } else if (errno === 'ENOTDIR' || errno === 'EEXIST' || errno === 'EISDIR') {
    advice =
      'A file stands where the cache expects a directory (or the reverse): remove it or choose another root.';
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new SpgCacheError(
    code,
    `Cannot ${verbs[operation]} cache entry ${path} (${operation}): ${detail}. ${advice}`,
    {
      ...(key === undefined ? {} : { key }),
      path,
      operation,
    },
    { cause: error },
  );
}

export { cacheIoError } from './cache-io-error';
export { FS_CACHE_ID, type FsCache, type FsCacheOptions, fsCache } from './fs-cache';
export { fsCacheDefinition, fsCacheOptionsSchema } from './fs-cache-definition';

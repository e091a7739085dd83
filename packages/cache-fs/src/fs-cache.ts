import type { Dirent } from 'node:fs';
import { lstat, mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import {
  assertCacheKey,
  type CacheKey,
  type CacheOperation,
  decodeNpy,
  encodeNpy,
  parseCacheKey,
  type SpectrogramCache,
  SpgCacheError,
  SpgConfigError,
  type Tensor,
} from '@spgdataset/core';
import { writeFileAtomic } from '@spgdataset/core/node';
import { cacheIoError } from './cache-io-error';

/** Plugin id of the filesystem spectrogram cache. */
export const FS_CACHE_ID = 'cache-fs/npy';

/** Options of `fsCache`. */
export interface FsCacheOptions {
  /** Directory of the cache (e.g. the dataset's `spectrogramsRoot`); created on first write. */
  root: string;
  /** Element type written: '<f4' (default, exact) or '<f2' (half the disk). Reads accept both. */
  dtype?: 'float32' | 'float16';
  /**
   * fsync each file before its rename (default true): after a power loss an entry is then absent
   * or complete. Without it, atomicity against process crashes still holds (rename), but an OS
   * crash may leave an entry with the right size and unwritten data.
   */
  fsync?: boolean;
}

/** The filesystem cache: a `SpectrogramCache` (with `keys` and `byteSize`) plus where each key lives. */
export interface FsCache extends SpectrogramCache {
  readonly options: { root: string; dtype: 'float32' | 'float16'; fsync: boolean };
  keys(): AsyncIterable<CacheKey>;
  byteSize(): Promise<number>;
  /** Absolute path of `key`'s file (after the containment check). */
  pathOf(key: CacheKey): string;
  /** Deletes the temporary files (`<entry>.npy.<number>`) writers of `key` killed mid-write left. */
  removeStrays(key: CacheKey): Promise<number>;
}

const ENTRY_NAME = /^(.+)\.([0-9a-f]{16})\.npy$/;

/**
 * A `SpectrogramCache` of NumPy `.npy` files: `<root>/<key.path>.<key.variant>.npy`, mirroring the
 * audio folder (`speaker1/a.wav` -> `speaker1/a.wav.<16 hex>.npy`), shape `[nMels, frames]`, C order,
 * loadable with `numpy.load`. Writes are atomic (temp file + rename); reads validate the header and
 * the exact byte length and throw `SpgCacheError` (`SPG_CACHE_CORRUPT`, with the path) instead of
 * returning a damaged entry. `byteSize()` is the sum of the entry files' sizes. `removeStrays(key)`
 * deletes the temporary files a killed writer of that entry left.
 */
export function fsCache(options: FsCacheOptions): FsCache {
  const { root, dtype = 'float32', fsync = true } = options ?? ({} as FsCacheOptions);
  const issues = [];
  if (typeof root !== 'string' || root.length === 0)
    issues.push({
      path: 'root',
      message: `must be a non-empty directory path (got ${JSON.stringify(root)})`,
    });
  if (dtype !== 'float32' && dtype !== 'float16')
    issues.push({ path: 'dtype', message: `must be 'float32' or 'float16' (got ${JSON.stringify(dtype)})` });
  if (typeof fsync !== 'boolean')
    issues.push({ path: 'fsync', message: `must be a boolean (got ${JSON.stringify(fsync)})` });
  if (issues.length) throw new SpgConfigError(issues);

  const base = resolve(root);
  const knownDirectories = new Set<string>();

  const pathOf = (key: CacheKey, operation: CacheOperation = 'key'): string => {
    assertCacheKey(key, operation);
    const file = resolve(base, `${key.path}.${key.variant}.npy`);
    // cacheKey() already refuses "..", absolute paths and empty segments; check the result anyway.
    if (!file.startsWith(base + sep)) {
      throw new SpgCacheError(
        'SPG_CACHE_BAD_KEY',
        `Cache key "${key.id}" resolves to ${file}, outside the cache root ${base}.`,
        {
          key: key.id,
          path: file,
          operation,
        },
      );
    }
    return file;
  };

  async function* walk(operation: CacheOperation): AsyncGenerator<{ key: CacheKey; file: string }> {
    const pending: string[] = [''];
    while (pending.length) {
      const relative = pending.pop()!;
      const directory = relative ? join(base, relative) : base;
      let entries: Dirent[];
      try {
        entries = await readdir(directory, { withFileTypes: true });
      } catch (error) {
        const errno = (error as NodeJS.ErrnoException).code;
        if (errno === 'ENOENT' || (errno === 'ENOTDIR' && relative)) continue;
        throw cacheIoError(operation, directory, error);
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const path = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) pending.push(path);
        else if (entry.isFile()) {
          const match = ENTRY_NAME.exec(path);
          if (!match) continue; // temp files and foreign files are not entries
          let key: CacheKey;
          try {
            key = parseCacheKey(match[1]!, match[2]!);
          } catch {
            continue;
          }
          yield { key, file: join(base, path) };
        }
      }
    }
  }

  return {
    kind: 'cache',
    id: FS_CACHE_ID,
    options: { root, dtype, fsync },
    pathOf: (key) => pathOf(key),

    async get(key: CacheKey): Promise<Tensor | undefined> {
      const file = pathOf(key, 'get');
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (error) {
        const errno = (error as NodeJS.ErrnoException).code;
        if (errno === 'ENOENT' || errno === 'ENOTDIR') return undefined;
        throw cacheIoError('get', file, error, key.id);
      }
      const { data, shape } = decodeNpy(bytes, { path: file, key: key.id });
      return { data, shape };
    },

    async put(key: CacheKey, tensor: Tensor): Promise<void> {
      const file = pathOf(key, 'put');
      const bytes = encodeNpy(tensor, dtype, { path: file, key: key.id });
      const directory = dirname(file);
      try {
        if (!knownDirectories.has(directory)) {
          await mkdir(directory, { recursive: true });
          knownDirectories.add(directory);
        }
        try {
          await writeFileAtomic(file, bytes, { fsync });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          // The directory was removed behind our back: make it again, once.
          await mkdir(directory, { recursive: true });
          await writeFileAtomic(file, bytes, { fsync });
        }
      } catch (error) {
        throw cacheIoError('put', file, error, key.id);
      }
    },

    async has(key: CacheKey): Promise<boolean> {
      const file = pathOf(key, 'has');
      try {
        return (await stat(file)).isFile();
      } catch (error) {
        const errno = (error as NodeJS.ErrnoException).code;
        if (errno === 'ENOENT' || errno === 'ENOTDIR') return false;
        throw cacheIoError('has', file, error, key.id);
      }
    },

    async delete(key: CacheKey): Promise<boolean> {
      const file = pathOf(key, 'delete');
      try {
        await unlink(file);
        return true;
      } catch (error) {
        const errno = (error as NodeJS.ErrnoException).code;
        if (errno === 'ENOENT' || errno === 'ENOTDIR') return false;
        throw cacheIoError('delete', file, error, key.id);
      }
    },

    async removeStrays(key: CacheKey): Promise<number> {
      const file = pathOf(key, 'delete');
      const directory = dirname(file);
      // write-file-atomic writes `<entry file>.<number>` and renames it over the entry; a process killed
      // in between leaves it. A concurrent writer whose temporary file goes writes it again (put retries once).
      const prefix = `${file.slice(directory.length + 1)}.`;
      let names: string[];
      try {
        names = await readdir(directory);
      } catch (error) {
        const errno = (error as NodeJS.ErrnoException).code;
        if (errno === 'ENOENT' || errno === 'ENOTDIR') return 0;
        throw cacheIoError('delete', directory, error, key.id);
      }
      let removed = 0;
      for (const name of names) {
        if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
        try {
          await unlink(join(directory, name));
          removed++;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
            throw cacheIoError('delete', join(directory, name), error, key.id);
        }
      }
      return removed;
    },

    async *keys(): AsyncIterable<CacheKey> {
      for await (const { key } of walk('keys')) yield key;
    },

    async byteSize(): Promise<number> {
      let total = 0;
      for await (const { file, key } of walk('keys')) {
        try {
          total += (await lstat(file)).size;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
            throw cacheIoError('keys', file, error, key.id);
        }
      }
      return total;
    },
  };
}

import type { Dirent } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import {
  assertCacheKey,
  type CacheKey,
  type CacheOperation,
  decodeNpy,
  npyParts,
  npySizeMismatch,
  parseCacheKey,
  readNpyHeader,
  type SpectrogramCache,
  SpgCacheError,
  SpgConfigError,
  type Tensor,
} from '@spgdataset/core';
import { cacheIoError } from './cache-io-error';
import { writeEntryAtomic } from './write-entry-atomic';

/** Plugin id of the filesystem spectrogram cache. */
export const FS_CACHE_ID = 'cache-fs/npy';

/** Options of `fsCache`. */
export interface FsCacheOptions {
  /** Directory of the cache (e.g. the dataset's `spectrogramsRoot`); created on first write. */
  root: string;
  /** Element type written: '<f4' (default, exact) or '<f2' (half the disk). Reads accept both. */
  dtype?: 'float32' | 'float16';
  /**
   * fsync each file before its rename (default false). Writes are atomic either way (temporary file
   * + rename: a killed process never leaves a part of an entry under its name). Without the per-file
   * sync, `sync()` (called once by the dataset after generating) syncs the folders written into,
   * and an entry whose data a power loss kept from the disk is found by the size check of `get` and
   * `peek` and regenerated. With it, each entry is durable before `put` resolves, at the cost of one
   * disk flush per file (most of a build's time on many disks).
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

/** Bytes `peek` reads from the start of an entry: enough for the header of any spectrogram shape. */
const PEEK_BYTES = 4096;

/**
 * A `SpectrogramCache` of NumPy `.npy` files: `<root>/<key.path>.<key.variant>.npy`, mirroring the
 * audio folder (`speaker1/a.wav` -> `speaker1/a.wav.<16 hex>.npy`), shape `[nMels, frames]`, C order,
 * loadable with `numpy.load`. Writes are atomic (temp file + rename, no per-file fsync unless
 * `fsync: true`; `sync()` syncs the folders written into); reads and `peek` validate the header and
 * the exact byte length and throw `SpgCacheError` (`SPG_CACHE_CORRUPT`, with the path) instead of
 * returning a damaged entry. `byteSize()` is the sum of the entry files' sizes. `removeStrays(key)`
 * deletes the temporary files a killed writer of that entry left.
 */
export function fsCache(options: FsCacheOptions): FsCache {
  const { root, dtype = 'float32', fsync = false } = options ?? ({} as FsCacheOptions);
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
  /** Folders that received entries since the last `sync()`. */
  const written = new Set<string>();
  /** float16 values of one put at a time (the next file's put reuses it instead of allocating). */
  let halfScratch: Uint16Array<ArrayBuffer> | undefined;
  let halfScratchBusy = false;

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
      let scratch: Uint16Array<ArrayBuffer> | undefined;
      if (dtype === 'float16' && !halfScratchBusy && tensor?.data instanceof Float32Array) {
        if (!halfScratch || halfScratch.length < tensor.data.length)
          halfScratch = new Uint16Array(Math.max(tensor.data.length, (halfScratch?.length ?? 0) * 1.5));
        scratch = halfScratch;
        halfScratchBusy = true;
      }
      try {
        const chunks = npyParts(tensor, dtype, { path: file, key: key.id }, scratch);
        const directory = dirname(file);
        try {
          if (!knownDirectories.has(directory)) {
            await mkdir(directory, { recursive: true });
            knownDirectories.add(directory);
          }
          try {
            await writeEntryAtomic(file, chunks, { fsync });
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
            // The directory was removed behind our back: make it again, once.
            await mkdir(directory, { recursive: true });
            await writeEntryAtomic(file, chunks, { fsync });
          }
          written.add(directory);
        } catch (error) {
          throw cacheIoError('put', file, error, key.id);
        }
      } finally {
        if (scratch) halfScratchBusy = false;
      }
    },

    async peek(key: CacheKey): Promise<{ shape: number[] } | undefined> {
      const file = pathOf(key, 'get');
      const where = { path: file, key: key.id };
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(file, 'r');
      } catch (error) {
        const errno = (error as NodeJS.ErrnoException).code;
        if (errno === 'ENOENT' || errno === 'ENOTDIR') return undefined;
        throw cacheIoError('get', file, error, key.id);
      }
      let head: Uint8Array;
      let size: number;
      try {
        // 128 bytes hold the header this cache writes; NumPy may write longer ones.
        const info = await handle.stat();
        if (!info.isFile()) return undefined;
        size = info.size;
        const buffer = new Uint8Array(Math.min(PEEK_BYTES, size));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        head = buffer.subarray(0, bytesRead);
      } catch (error) {
        throw cacheIoError('get', file, error, key.id);
      } finally {
        await handle.close().catch(() => {});
      }
      const header = readNpyHeader(head, where);
      if (size !== header.byteLength) throw npySizeMismatch(header, size, where);
      return { shape: header.shape };
    },

    async sync(): Promise<void> {
      const directories = [...written];
      written.clear();
      for (const directory of directories) {
        try {
          const handle = await open(directory, 'r');
          try {
            await handle.sync();
          } finally {
            await handle.close();
          }
        } catch (error) {
          const errno = (error as NodeJS.ErrnoException).code;
          // Removed since (nothing left to make durable), or a platform that cannot sync folders.
          if (errno === 'ENOENT' || errno === 'EISDIR' || errno === 'EPERM' || errno === 'EINVAL') continue;
          throw cacheIoError('put', directory, error);
        }
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
      // put writes `<entry file>.<digits>` and renames it over the entry; a process killed in between
      // leaves it. A concurrent writer whose temporary file goes writes it again (put retries once).
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

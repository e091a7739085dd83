import { lstat, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import {
  assertCacheKey,
  type CacheKey,
  type CacheOperation,
  decodeNpy,
  type EntryWriter,
  npySizeMismatch,
  readNpyHeader,
  type SpectrogramCache,
  SpgCacheError,
  SpgConfigError,
  type Tensor,
  transposeInto,
} from '@spgdataset/core';
import { cacheIoError } from './cache-io-error';
import { FsEntryWriter, WriterBuffers } from './fs-entry-writer';
import { OpenEntries } from './open-entries';
import { checkColumns, readColumns } from './read-columns';
import { walkEntries } from './walk-entries';

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
  /**
   * Bytes of an entry a writer keeps in memory before it spills the entry to a temporary file next
   * to it (default 16 MiB: about 8.7 minutes of 80 mels at 100 frames per second). Entries up to
   * this size are written with one `writev`; longer ones stream through the file in bounded memory.
   */
  spillBytes?: number;
}

/** The filesystem cache: a `SpectrogramCache` (with `keys` and `byteSize`) plus where each key lives. */
export interface FsCache extends SpectrogramCache {
  readonly options: { root: string; dtype: 'float32' | 'float16'; fsync: boolean; spillBytes?: number };
  writer(key: CacheKey, rows: number): Promise<EntryWriter>;
  readWindow(key: CacheKey, first: number, count: number, into?: Float32Array): Promise<Tensor | undefined>;
  /** Closes the entry files `readWindow` keeps open. */
  dispose(): Promise<void>;
  keys(): AsyncIterable<CacheKey>;
  byteSize(): Promise<number>;
  /** Absolute path of `key`'s file (after the containment check). */
  pathOf(key: CacheKey): string;
  /** Deletes the temporary files (`<entry>.npy.<number>`) writers of `key` killed mid-write left. */
  removeStrays(key: CacheKey): Promise<number>;
}

/** Bytes `peek` reads from the start of an entry: enough for the header of any spectrogram shape. */
const PEEK_BYTES = 4096;
/** Default `spillBytes`. */
const DEFAULT_SPILL_BYTES = 16 * 2 ** 20;
/** Entry files `readWindow` keeps open at once. */
const OPEN_ENTRIES = 8;

/**
 * A `SpectrogramCache` of NumPy `.npy` files: `<root>/<key.path>.<key.variant>.npy`, mirroring the
 * audio folder (`speaker1/a.wav` -> `speaker1/a.wav.<16 hex>.npy`), shape `[nMels, frames]` stored frame-major (Fortran order),
 * loadable with `numpy.load`. Writes are atomic (temp file + rename, no per-file fsync unless
 * `fsync: true`; `sync()` syncs the folders written into); reads and `peek` validate the header and
 * the exact byte length and throw `SpgCacheError` (`SPG_CACHE_CORRUPT`, with the path) instead of
 * returning a damaged entry. `byteSize()` is the sum of the entry files' sizes. `removeStrays(key)`
 * deletes the temporary files a killed writer of that entry left.
 */
export function fsCache(options: FsCacheOptions): FsCache {
  const { root, dtype = 'float32', fsync = false, spillBytes } = options ?? ({} as FsCacheOptions);
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
  if (spillBytes !== undefined && !(Number.isSafeInteger(spillBytes) && spillBytes >= 4))
    issues.push({
      path: 'spillBytes',
      message: `must be a whole number of bytes >= 4 (got ${JSON.stringify(spillBytes)})`,
    });
  if (issues.length) throw new SpgConfigError(issues);

  const base = resolve(root);
  const knownDirectories = new Set<string>();
  /** Folders that received entries since the last `sync()`. */
  const written = new Set<string>();
  const writerBuffers = new WriterBuffers();
  const spill = spillBytes ?? DEFAULT_SPILL_BYTES;
  /** Entry files `readWindow` keeps open (a training loop reads windows of the same long entries). */
  const open_ = new OpenEntries(OPEN_ENTRIES);
  const ensureDirectory = async (directory: string) => {
    if (knownDirectories.has(directory)) return;
    await mkdir(directory, { recursive: true });
    knownDirectories.add(directory);
  };
  const newWriter = (key: CacheKey, rows: number, operation: CacheOperation = 'put'): FsEntryWriter => {
    const file = pathOf(key, operation);
    const directory = dirname(file);
    return new FsEntryWriter({
      file,
      keyId: key.id,
      rows,
      dtype,
      fsync,
      spillBytes: spill,
      buffers: writerBuffers,
      ensureDirectory: () => ensureDirectory(directory),
      committed: () => {
        written.add(directory);
        // A file kept open for windows is the entry this replaced.
        void open_.forget(file);
      },
    });
  };

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

  const walk = (operation: CacheOperation) => walkEntries(base, operation);

  return {
    kind: 'cache',
    id: FS_CACHE_ID,
    options: spillBytes === undefined ? { root, dtype, fsync } : { root, dtype, fsync, spillBytes },
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
      // Frame-major (Fortran-order) entries come back mel-major, as they were put.
      const { data, shape } = decodeNpy(bytes, { path: file, key: key.id });
      return { data, shape };
    },

    async put(key: CacheKey, tensor: Tensor): Promise<void> {
      const { data, shape } = tensor ?? {};
      if (
        !(data instanceof Float32Array) ||
        !Array.isArray(shape) ||
        shape.length !== 2 ||
        shape[0]! * shape[1]! !== data.length ||
        shape.some((d) => !Number.isSafeInteger(d) || d < 0)
      )
        throw new SpgCacheError(
          'SPG_CACHE_BAD_TENSOR',
          `Cannot store tensor with shape ${JSON.stringify(shape)} and ${data?.length} values under key "${key.id}": expected a [rows, columns] Float32Array whose length is the product of the shape.`,
          { key: key.id, path: pathOf(key, 'put'), operation: 'put' },
        );
      const [rows, columns] = shape as [number, number];
      if (rows === 0)
        throw new SpgCacheError(
          'SPG_CACHE_BAD_TENSOR',
          `Cannot store a tensor of 0 rows under key "${key.id}" (shape [0, ${columns}]).`,
          {
            key: key.id,
            operation: 'put',
          },
        );
      // Stored frame after frame (Fortran order), as the writer streams it: one layout for every entry.
      const writer = newWriter(key, rows);
      try {
        const frames = writer.scratch(data.length);
        transposeInto(data, rows, columns, frames);
        await writer.append(frames);
        await writer.commit();
      } catch (error) {
        await writer.abort();
        throw error;
      }
    },

    async writer(key: CacheKey, rows: number): Promise<EntryWriter> {
      if (!(Number.isSafeInteger(rows) && rows > 0))
        throw new SpgCacheError(
          'SPG_CACHE_BAD_TENSOR',
          `writer() needs a whole number of rows > 0 (got ${rows})`,
          {
            key: key.id,
            operation: 'put',
          },
        );
      return newWriter(key, rows);
    },

    async readWindow(
      key: CacheKey,
      first: number,
      count: number,
      into?: Float32Array,
    ): Promise<Tensor | undefined> {
      const file = pathOf(key, 'get');
      const where = { path: file, key: key.id };
      let entry: Awaited<ReturnType<OpenEntries['get']>>;
      try {
        entry = await open_.get(file, where);
      } catch (error) {
        if (SpgCacheError.isInstance(error)) throw error;
        throw cacheIoError('get', file, error, key.id);
      }
      if (!entry) return undefined;
      const { header } = entry;
      const rows = header.shape[0]!;
      try {
        checkColumns(header, first, count, key, file);
      } catch (error) {
        entry.release();
        throw error;
      }
      const data = (into ?? new Float32Array(rows * count)).subarray(0, rows * count);
      try {
        await readColumns(entry.handle, header, first, count, data);
      } catch (error) {
        await open_.forget(file);
        throw cacheIoError('get', file, error, key.id);
      } finally {
        entry.release();
      }
      return { data, shape: [rows, count] };
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
      await open_.forget(file);
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

    async dispose(): Promise<void> {
      await open_.closeAll();
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

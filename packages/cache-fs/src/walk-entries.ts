import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type CacheKey, type CacheOperation, parseCacheKey } from '@spgdataset/core';
import { cacheIoError } from './cache-io-error';

/** Entry file names: `<key path>.<16 hex variant>.npy`. */
export const ENTRY_NAME = /^(.+)\.([0-9a-f]{16})\.npy$/;

/**
 * Every entry under `base` (sorted, depth first) with its key; temporary and foreign files are
 * skipped, and so are folders that vanish while walking.
 */
export async function* walkEntries(
  base: string,
  operation: CacheOperation,
): AsyncGenerator<{ key: CacheKey; file: string }> {
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

import { appendFileSync, mkdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import {
  type CacheKey,
  decodeNpy,
  encodeNpy,
  type PluginDefinition,
  type SpectrogramCache,
} from '@spgdataset/core';
import { writeFileAtomic } from '@spgdataset/core/node';

export const COUNTING_CACHE_ID = 'fake/counting-cache';

/** One logged call: operation, the thread and process that made it, the entry's path. */
export interface CacheCall {
  op: 'get' | 'put' | 'has' | 'delete';
  threadId: number;
  pid: number;
  path: string;
}

/**
 * A cache of .npy files under `root` that appends every call to `root/calls.log`, so a test can
 * count calls across worker threads and processes.
 */
export function countingCache(options: { root: string }): SpectrogramCache {
  const { root } = options;
  mkdirSync(root, { recursive: true });
  const file = (key: CacheKey) => join(root, `${encodeURIComponent(key.id)}.npy`);
  const log = (op: CacheCall['op'], key: CacheKey) =>
    appendFileSync(
      join(root, 'calls.log'),
      `${JSON.stringify({ op, threadId, pid: process.pid, path: key.path })}\n`,
    );
  const read = async (key: CacheKey) => readFile(file(key)).catch(() => undefined);
  return {
    kind: 'cache',
    id: COUNTING_CACHE_ID,
    options: { root },
    async get(key) {
      log('get', key);
      const bytes = await read(key);
      if (!bytes) return undefined;
      const { data, shape } = decodeNpy(new Uint8Array(bytes));
      return { data, shape };
    },
    async put(key, tensor) {
      log('put', key);
      await writeFileAtomic(file(key), encodeNpy(tensor));
    },
    async has(key) {
      log('has', key);
      return (await read(key)) !== undefined;
    },
    async delete(key) {
      log('delete', key);
      const had = (await read(key)) !== undefined;
      await rm(file(key), { force: true });
      return had;
    },
  };
}

/** Every call logged under `root`. */
export async function cacheCalls(root: string): Promise<CacheCall[]> {
  const text = await readFile(join(root, 'calls.log'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CacheCall);
}

const rootSchema = {
  '~standard': {
    version: 1 as const,
    vendor: 'fake-plugins',
    validate: (value: unknown) =>
      typeof (value as { root?: unknown })?.root === 'string'
        ? { value: value as { root: string } }
        : { issues: [{ message: 'needs { "root": "<folder>" }' }] },
  },
};

export const countingCacheDefinition: PluginDefinition<'cache', { root: string }> = {
  kind: 'cache',
  id: COUNTING_CACHE_ID,
  module: '@spgdataset-test/fake-plugins',
  schema: rootSchema,
  create: (options) => countingCache(options),
};

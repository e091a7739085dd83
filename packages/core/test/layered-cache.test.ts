import { describe, expect, it } from 'vitest';
import { type CacheKey, cacheKey } from '../src/cache/cache-key';
import { layeredCache } from '../src/cache/layered-cache';
import { MemoryCache } from '../src/cache/memory-cache';
import type { Tensor } from '../src/contracts/tensor';
import { SpgCacheError } from '../src/errors/spg-cache-error';
import { describeSpectrogramCache } from '../src/testing/describe-spectrogram-cache';

const MiB = 2 ** 20;

// Both layers hold every entry, so each costs twice the memory cache's 4 bytes/value + 256.
describeSpectrogramCache('layeredCache(memory, memory)', {
  create: () =>
    layeredCache(new MemoryCache({ maxBytes: 64 * MiB }), new MemoryCache({ maxBytes: 256 * MiB })),
  entryBytes: (t) => 2 * (t.data.length * 4 + 256),
});

const key = (i: number) => cacheKey({ path: `f${i}.wav`, size: i, changeToken: 'x' }, 'fp');
const tensor = (fill: number): Tensor => ({ data: new Float32Array(80 * 100).fill(fill), shape: [80, 100] });
const entry = 80 * 100 * 4 + 256;

describe('layeredCache', () => {
  it('serves memory first, then the persistent cache, filling memory while the budget allows', async () => {
    const persistent = new MemoryCache({ maxBytes: 64 * MiB });
    for (let i = 0; i < 4; i++) await persistent.put(key(i), tensor(i));
    const memory = new MemoryCache({ maxBytes: 2 * entry });
    const cache = layeredCache(memory, persistent);
    for (let i = 0; i < 4; i++) expect((await cache.get(key(i)))!.data[0]).toBe(i);
    expect(memory.size).toBe(2);
    expect(await memory.has(key(0))).toBe(true);
    expect(await memory.has(key(2))).toBe(false);
    // A memory hit does not touch the persistent layer.
    await persistent.delete(key(0));
    expect((await cache.get(key(0)))!.data[0]).toBe(0);
    expect(await cache.get(key(9))).toBeUndefined();
  });

  it('writes through to the persistent cache even when memory is full', async () => {
    const persistent = new MemoryCache({ maxBytes: 64 * MiB });
    const memory = new MemoryCache({ maxBytes: entry });
    const cache = layeredCache(memory, persistent);
    await cache.put(key(1), tensor(1));
    await cache.put(key(2), tensor(2));
    expect(persistent.size).toBe(2);
    expect(memory.size).toBe(1);
    expect(await cache.delete(key(2))).toBe(true);
    expect(await cache.has(key(2))).toBe(false);
  });

  it('works with memory only (no persistent cache)', async () => {
    const cache = layeredCache(new MemoryCache({ maxBytes: MiB }), undefined);
    await cache.put(key(1), tensor(5));
    expect((await cache.get(key(1)))!.data[1]).toBe(5);
    expect(cache.options).toEqual({ memory: { maxBytes: MiB, dtype: 'float32' }, persistent: null });
  });
});

describe('layeredCache as the key boundary', () => {
  const hostile = {
    path: '../escape.wav',
    variant: '0123456789abcdef',
    id: '../escape.wav#0123456789abcdef',
  };

  it('checks keys also without a memory layer, before the persistent cache sees them', async () => {
    const persistent = new MemoryCache({ maxBytes: MiB });
    let calls = 0;
    const counted =
      <A extends unknown[], R>(f: (...args: A) => R) =>
      (...args: A): R => {
        calls++;
        return f(...args);
      };
    const counting = {
      kind: 'cache' as const,
      id: 'test/counting',
      options: null,
      get: counted((k: CacheKey) => persistent.get(k)),
      put: counted((k: CacheKey, t: Tensor) => persistent.put(k, t)),
      has: counted((k: CacheKey) => persistent.has(k)),
      delete: counted((k: CacheKey) => persistent.delete(k)),
    };
    const cache = layeredCache(undefined, counting);
    for (const work of [
      () => cache.get(hostile as CacheKey),
      () => cache.put(hostile as CacheKey, tensor(1)),
      () => cache.has(hostile as CacheKey),
      () => cache.delete(hostile as CacheKey),
    ]) {
      const error = await work().catch((e: unknown) => e);
      expect(SpgCacheError.isInstance(error) && error.code).toBe('SPG_CACHE_BAD_KEY');
    }
    expect(calls).toBe(0);
    expect(await cache.put(key(1), tensor(1))).toBe(true);
    expect(calls).toBe(1);
    expect(cache.options).toEqual({ memory: null, persistent: { use: 'test/counting', options: null } });
  });

  it('put resolves to whether any layer kept the entry', async () => {
    const memoryOnly = layeredCache(new MemoryCache({ maxBytes: entry }), undefined);
    expect(await memoryOnly.put(key(1), tensor(1))).toBe(true);
    expect(await memoryOnly.put(key(2), tensor(2))).toBe(false);
    expect(await memoryOnly.has(key(2))).toBe(false);
    const none = new MemoryCache({ maxBytes: 0 });
    const both = layeredCache(new MemoryCache({ maxBytes: 0 }), {
      kind: 'cache',
      id: 'test/none',
      options: null,
      get: (k) => none.get(k),
      put: (k, t) => none.put(k, t),
      has: (k) => none.has(k),
      delete: (k) => none.delete(k),
    });
    expect(await both.put(key(3), tensor(3))).toBe(false);
    const persisted = layeredCache(new MemoryCache({ maxBytes: 0 }), new MemoryCache({ maxBytes: MiB }));
    expect(await persisted.put(key(4), tensor(4))).toBe(true);
  });

  it('has keys() and byteSize() only when the persistent layer has them', async () => {
    const persistent = new MemoryCache({ maxBytes: MiB });
    const minimal = {
      kind: 'cache' as const,
      id: 'test/minimal',
      options: null,
      get: (k: CacheKey) => persistent.get(k),
      put: (k: CacheKey, t: Tensor) => persistent.put(k, t),
      has: (k: CacheKey) => persistent.has(k),
      delete: (k: CacheKey) => persistent.delete(k),
    };
    const without = layeredCache(new MemoryCache({ maxBytes: MiB }), minimal);
    expect(without.keys).toBeUndefined();
    expect(without.byteSize).toBeUndefined();
    const memoryOnly = layeredCache(new MemoryCache({ maxBytes: MiB }), undefined);
    await memoryOnly.put(key(1), tensor(1));
    expect(await memoryOnly.byteSize!()).toBe(entry);
  });
});

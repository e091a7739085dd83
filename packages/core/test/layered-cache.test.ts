import { describe, expect, it } from 'vitest';
import { cacheKey } from '../src/cache/cache-key';
import { layeredCache } from '../src/cache/layered-cache';
import { MemoryCache } from '../src/cache/memory-cache';
import type { Tensor } from '../src/contracts/tensor';
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

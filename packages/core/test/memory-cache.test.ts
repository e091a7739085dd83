import { describe, expect, it } from 'vitest';
import { cacheKey } from '../src/cache/cache-key';
import { MemoryCache } from '../src/cache/memory-cache';
import type { ProgressEvent } from '../src/contracts/progress';
import type { SpectrogramCache } from '../src/contracts/spectrogram-cache';
import type { Tensor } from '../src/contracts/tensor';
import { SpgCacheError } from '../src/errors/spg-cache-error';
import { SpgConfigError } from '../src/errors/spg-config-error';
import { describeSpectrogramCache } from '../src/testing/describe-spectrogram-cache';

const MiB = 2 ** 20;

// The documented accounting: 4 (float32) or 2 (float16) bytes per value + 256 bytes per entry.
describeSpectrogramCache('MemoryCache (float32)', {
  create: () => new MemoryCache({ maxBytes: 64 * MiB }),
  entryBytes: (t) => t.data.length * 4 + 256,
});
describeSpectrogramCache('MemoryCache (float16)', {
  create: () => new MemoryCache({ maxBytes: 64 * MiB, dtype: 'float16' }),
  storage: 'float16',
  entryBytes: (t) => t.data.length * 2 + 256,
});

const key = (i: number) =>
  cacheKey({ path: `spk${i % 7}/file-${i}.wav`, size: 1000 + i, changeToken: 'm' }, 'fp');

/** A synthetic dataset: `count` spectrograms [80, 192..2000] with deterministic sizes. */
function synthetic(count: number): { keys: ReturnType<typeof key>[]; frames: number[] } {
  const frames = Array.from({ length: count }, (_, i) => 192 + ((i * 7919) % 1809));
  return { keys: frames.map((_, i) => key(i)), frames };
}
const tensor = (frames: number, fill: number): Tensor => ({
  data: new Float32Array(80 * frames).fill(fill),
  shape: [80, frames],
});

describe('MemoryCache budget', () => {
  it('fills until full and never exceeds the budget in its own accounting', async () => {
    const { keys, frames } = synthetic(120);
    const total = frames.reduce((s, f) => s + 80 * f * 4 + 256, 0);
    const cache = new MemoryCache({ maxBytes: Math.floor(total / 2) });
    let declined = 0;
    for (const [i, k] of keys.entries()) {
      const stored = cache.putSync(k, tensor(frames[i]!, i));
      if (!stored) declined++;
      expect(cache.usedBytes).toBeLessThanOrEqual(cache.maxBytes);
      expect(await cache.byteSize()).toBe(cache.usedBytes);
    }
    expect(declined).toBeGreaterThan(0);
    // Fill-until-full: everything held is still served, and the held bytes are close to the budget.
    expect(cache.usedBytes).toBeGreaterThan(cache.maxBytes - (80 * 2000 * 4 + 256));
    let held = 0;
    for await (const k of cache.keys()) {
      const i = keys.findIndex((x) => x.id === k.id);
      const got = cache.getSync(k)!;
      expect(got.shape).toEqual([80, frames[i]]);
      expect(got.data[0]).toBe(i);
      held += 80 * frames[i]! * 4 + 256;
    }
    expect(held).toBe(cache.usedBytes);
  });

  it('float16 storage holds about twice as many spectrograms and returns Float32Array', () => {
    const { keys } = synthetic(120);
    const f32 = new MemoryCache({ maxBytes: 8 * MiB });
    const f16 = new MemoryCache({ maxBytes: 8 * MiB, dtype: 'float16' });
    for (const k of keys) {
      f32.putSync(k, tensor(500, 1 / 3));
      f16.putSync(k, tensor(500, 1 / 3));
    }
    // 8 MiB / (80 * 500 * 4 + 256) = 52.3 entries; / (80 * 500 * 2 + 256) = 104.5 entries.
    expect(f32.size).toBe(52);
    expect(f16.size).toBe(104);
    const got = f16.getSync(keys[0]!)!;
    expect(got.data).toBeInstanceOf(Float32Array);
    expect(got.data[5]).toBe(0.333251953125); // 1/3 as float16 (0x3555)
  });

  it('overwriting with a value that no longer fits drops the old value (never serves it)', () => {
    const cache = new MemoryCache({ maxBytes: 80 * 300 * 4 + 256 });
    expect(cache.putSync(key(1), tensor(200, 1))).toBe(true);
    expect(cache.putSync(key(1), tensor(400, 2))).toBe(false);
    expect(cache.getSync(key(1))).toBeUndefined();
    expect(cache.usedBytes).toBe(0);
  });

  it('maxBytes 0 holds nothing; invalid options are SpgConfigError naming the field', () => {
    const none = new MemoryCache({ maxBytes: 0 });
    expect(none.putSync(key(1), tensor(1, 1))).toBe(false);
    expect(none.usedBytes).toBe(0);
    expect(() => new MemoryCache({ maxBytes: -1 })).toThrow(SpgConfigError);
    expect(() => new MemoryCache({ maxBytes: Number.NaN })).toThrow(/maxBytes/);
    expect(() => new MemoryCache({ maxBytes: 1, dtype: 'float64' as 'float32' })).toThrow(/dtype/);
  });
});

describe('MemoryCache.preload', () => {
  async function source(count: number) {
    const { keys, frames } = synthetic(count);
    const persistent = new MemoryCache({ maxBytes: 1024 * MiB });
    for (const [i, k] of keys.entries()) await persistent.put(k, tensor(frames[i]!, i));
    return { persistent, keys, frames };
  }

  it('fills from a persistent cache up to the budget, reporting progress', async () => {
    const { persistent, keys, frames } = await source(40);
    const half = frames.slice(0, 20).reduce((s, f) => s + 80 * f * 4 + 256, 0);
    const memory = new MemoryCache({ maxBytes: half });
    const events: ProgressEvent[] = [];
    const result = await memory.preload(persistent, keys, { onProgress: (e) => events.push(e) });
    expect(result).toEqual({ loaded: 20, skipped: 0, bytes: half, stoppedBy: 'budget' });
    expect(memory.usedBytes).toBe(half);
    expect(events.length).toBe(20);
    expect(events.every((e) => e.phase === 'preload' && e.total === 40)).toBe(true);
    expect(events.map((e) => e.done)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(events.at(-1)!.bytes).toBe(half);
    expect(events[0]!.path).toBe(keys[0]!.path);
    for (const [i, k] of keys.slice(0, 20).entries()) expect(memory.getSync(k)!.data[0]).toBe(i);
  });

  it('reads to the end when everything fits, skipping missing and corrupt entries', async () => {
    const { persistent, keys } = await source(6);
    const corrupt = keys[2]!;
    const flaky: SpectrogramCache = {
      put: (k, t) => persistent.put(k, t),
      has: (k) => persistent.has(k),
      delete: (k) => persistent.delete(k),
      keys: () => persistent.keys(),
      byteSize: () => persistent.byteSize(),
      kind: 'cache',
      id: 'test/flaky',
      options: null,
      get: async (k) => {
        if (k.id === corrupt.id)
          throw new SpgCacheError('SPG_CACHE_CORRUPT', 'bad', {
            key: k.id,
            path: '/x.npy',
            operation: 'get',
          });
        return persistent.get(k);
      },
    };
    const memory = new MemoryCache({ maxBytes: 1024 * MiB });
    const result = await memory.preload(flaky, [...keys, key(99)]);
    expect(result.loaded).toBe(5);
    expect(result.skipped).toBe(2);
    expect(result.stoppedBy).toBe('end');
    expect(await memory.has(corrupt)).toBe(false);
  });

  it('stops when the signal aborts', async () => {
    const { persistent, keys } = await source(10);
    const memory = new MemoryCache({ maxBytes: 1024 * MiB });
    const controller = new AbortController();
    const run = memory.preload(persistent, keys, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.done === 3) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(memory.size).toBe(3);
  });
});

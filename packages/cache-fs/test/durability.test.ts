// What replaces the per-file fsync: peek() finds damaged entries by header and size without reading
// their values, sync() flushes the folders written into, and fsync: true still syncs every entry.
import { spawnSync } from 'node:child_process';
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { cacheKey, encodeNpy, type SpgCacheError } from '@spgdataset/core';
import { describe, expect, it } from 'vitest';
import { fsCache } from '../src/fs-cache';
import { freshRoots } from './fresh-roots';

const freshRoot = freshRoots('spg-cache-durable-');

const key = (path: string) => cacheKey({ path, size: 10, changeToken: 'a' }, 'fp');
const tensor = (frames: number) => ({
  data: Float32Array.from({ length: 80 * frames }, (_, i) => Math.sin(i)),
  shape: [80, frames],
});

async function corruptCode(work: Promise<unknown>): Promise<string> {
  const error = (await work.then(
    () => undefined,
    (e: unknown) => e,
  )) as SpgCacheError | undefined;
  return error?.code ?? 'no error';
}

describe('fsCache.peek', () => {
  it('gives the shape of a sound entry and undefined for a missing one', async () => {
    const cache = fsCache({ root: await freshRoot() });
    await cache.put(key('a/x.wav'), tensor(300));
    expect(await cache.peek!(key('a/x.wav'))).toEqual({ shape: [80, 300] });
    expect(await cache.peek!(key('a/missing.wav'))).toBeUndefined();
    expect(await cache.peek!(key('nofolder/x.wav'))).toBeUndefined();
  });

  it('reports a short, an empty, a longer and a header-damaged entry as SPG_CACHE_CORRUPT, as get does', async () => {
    const root = await freshRoot();
    const cache = fsCache({ root });
    const damage: Record<string, (file: string) => Promise<void>> = {
      short: (file) => truncate(file, 128 + 4 * 80 * 10),
      empty: (file) => truncate(file, 0),
      longer: async (file) => writeFile(file, Buffer.concat([await readFile(file), Buffer.alloc(4)])),
      header: async (file) => {
        const bytes = await readFile(file);
        bytes.write("'<i8'", bytes.indexOf("'<f4'"), 'latin1');
        await writeFile(file, bytes);
      },
    };
    for (const [name, harm] of Object.entries(damage)) {
      const k = key(`${name}.wav`);
      await cache.put(k, tensor(50));
      await harm(cache.pathOf(k));
      expect(await corruptCode(cache.peek!(k)), name).toBe('SPG_CACHE_CORRUPT');
      expect(await corruptCode(cache.get(k)), name).toBe('SPG_CACHE_CORRUPT');
    }
  });

  it('accepts entries NumPy wrote with a longer header (version 2.0)', async () => {
    const root = await freshRoot();
    const cache = fsCache({ root });
    const k = key('v2.wav');
    await cache.put(k, tensor(4));
    // Re-write the same entry as format 2.0: 4-byte header length, header padded to 64 bytes more.
    const v1 = encodeNpy(tensor(4));
    const header = `${"{'descr': '<f4', 'fortran_order': False, 'shape': (80, 4), }".padEnd(64 * 3 - 13)}\n`;
    const v2 = Buffer.alloc(12 + header.length + v1.length - 128);
    v2.write('\x93NUMPY', 0, 'latin1');
    v2[6] = 2;
    v2.writeUInt32LE(header.length, 8);
    v2.write(header, 12, 'latin1');
    Buffer.from(v1.subarray(128)).copy(v2, 12 + header.length);
    await writeFile(cache.pathOf(k), v2);
    expect(await cache.peek!(k)).toEqual({ shape: [80, 4] });
    expect((await cache.get(k))!.data).toEqual(tensor(4).data);
  });
});

describe('fsCache writes', () => {
  it('writes entries without leaving temporary files, with fsync off (default) and on', async () => {
    for (const fsync of [false, true]) {
      const root = await freshRoot();
      const cache = fsCache({ root, fsync });
      for (let i = 0; i < 5; i++) await cache.put(key(`d${i % 2}/f${i}.wav`), tensor(10 + i));
      const files = (await readdir(root, { recursive: true })).filter((f) => f.includes('.npy'));
      expect(
        files.every((f) => f.endsWith('.npy')),
        files.join(', '),
      ).toBe(true);
      expect(files).toHaveLength(5);
      for (let i = 0; i < 5; i++)
        expect((await cache.get(key(`d${i % 2}/f${i}.wav`)))!.data).toEqual(tensor(10 + i).data);
    }
  });

  it('float16 entries written one after another (a reused scratch) and at once are all exact', async () => {
    const cache = fsCache({ root: await freshRoot(), dtype: 'float16' });
    const halves = (frames: number, offset: number) => ({
      data: Float32Array.from({ length: 80 * frames }, (_, i) => ((i + offset) % 2048) / 1024),
      shape: [80, frames],
    });
    await cache.put(key('one.wav'), halves(30, 1));
    await cache.put(key('two.wav'), halves(20, 2));
    await Promise.all([3, 4, 5].map((n) => cache.put(key(`n${n}.wav`), halves(10 * n, n))));
    expect((await cache.get(key('one.wav')))!.data).toEqual(halves(30, 1).data);
    expect((await cache.get(key('two.wav')))!.data).toEqual(halves(20, 2).data);
    for (const n of [3, 4, 5])
      expect((await cache.get(key(`n${n}.wav`)))!.data).toEqual(halves(10 * n, n).data);
  });

  it('sync() fsyncs each folder written into once, and nothing when nothing was written', async () => {
    const root = await freshRoot();
    const cache = fsCache({ root });
    await cache.sync!();
    await cache.put(key('a/x.wav'), tensor(5));
    await cache.put(key('a/y.wav'), tensor(5));
    await cache.put(key('b/z.wav'), tensor(5));
    // strace shows the calls when it is installed; the result is checked either way.
    const traced = spawnSync('strace', ['-V'], { encoding: 'utf8' }).status === 0;
    await cache.sync!();
    if (!traced) return;
    const script = `
      const { fsCache } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
      const { cacheKey } = await import('@spgdataset/core');
      const cache = fsCache({ root: ${JSON.stringify(root)} });
      const key = (path) => cacheKey({ path, size: 10, changeToken: 'a' }, 'fp');
      for (const p of ['a/x.wav', 'a/y.wav', 'b/z.wav']) await cache.put(key(p), { data: new Float32Array(80), shape: [80, 1] });
      await cache.sync();`;
    const run = spawnSync(
      'strace',
      ['-f', '-e', 'trace=fsync,fdatasync', process.execPath, '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        cwd: new URL('..', import.meta.url).pathname,
      },
    );
    const syncs = run.stderr.split('\n').filter((l) => /\bf(data)?sync\(/.test(l));
    expect(syncs).toHaveLength(2); // folders a and b, no file
  });
});

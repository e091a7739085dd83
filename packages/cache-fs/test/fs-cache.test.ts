import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheKey, fingerprint, SpgCacheError, SpgConfigError } from '@spgdataset/core';
import { describe, expect, it } from 'vitest';
import { cacheIoError } from '../src/cache-io-error';
import { FS_CACHE_ID, fsCache } from '../src/fs-cache';
import { fsCacheDefinition } from '../src/fs-cache-definition';
import { freshRoots } from './fresh-roots';

const freshRoot = freshRoots('spg-cache-fs-');

const key = (path: string, fp = 'fp') => cacheKey({ path, size: 10, changeToken: 'a' }, fp);
const tensor = (frames: number, fill = 1) => ({
  data: new Float32Array(80 * frames).fill(fill),
  shape: [80, frames],
});

async function caught(work: () => Promise<unknown>): Promise<SpgCacheError> {
  try {
    await work();
  } catch (error) {
    expect(SpgCacheError.isInstance(error), String(error)).toBe(true);
    return error as SpgCacheError;
  }
  throw new Error('expected an SpgCacheError');
}

describe('fsCache layout', () => {
  it('mirrors the audio layout as <root>/<path>.<variant>.npy', async () => {
    const root = await freshRoot();
    const cache = fsCache({ root });
    const k = key('speaker 1/take-2.wav');
    await cache.put(k, tensor(192));
    const file = join(root, 'speaker 1', `take-2.wav.${k.variant}.npy`);
    expect(cache.pathOf(k)).toBe(file);
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
    // Frame after frame on disk (Fortran order of the [nMels, frames] array), as long entries stream.
    expect(bytes.toString('latin1', 10, 70)).toContain(
      "'descr': '<f4', 'fortran_order': True, 'shape': (80, 192)",
    );
    expect(bytes.length).toBe(128 + 80 * 192 * 4);
    const ramp = { data: Float32Array.from({ length: 80 * 3 }, (_, i) => i), shape: [80, 3] };
    await cache.put(key('ramp.wav'), ramp);
    const onDisk = new Float32Array((await readFile(cache.pathOf(key('ramp.wav')))).buffer.slice(128 + 0));
    // Value (m, t) = m * 3 + t sits at t * 80 + m.
    expect([onDisk[0], onDisk[1], onDisk[80], onDisk[81]]).toEqual([0, 3, 1, 4]);
  });

  it('writes <f2 files with dtype float16 and reads either', async () => {
    const root = await freshRoot();
    await fsCache({ root, dtype: 'float16' }).put(key('h.wav'), tensor(3, 0.5));
    const bytes = await readFile(join(root, `h.wav.${key('h.wav').variant}.npy`));
    expect(bytes.toString('latin1', 10, 30)).toContain("'<f2'");
    expect(bytes.length).toBe(128 + 80 * 3 * 2);
    const back = await fsCache({ root }).get(key('h.wav'));
    expect(back!.data[0]).toBe(0.5);
  });

  it('lists only entries: temp files, foreign files and bad names are skipped', async () => {
    const root = await freshRoot();
    const cache = fsCache({ root });
    await cache.put(key('a/x.wav'), tensor(2));
    await writeFile(join(root, 'a', `x.wav.${key('a/x.wav').variant}.npy.3735928559`), 'partial');
    await writeFile(join(root, 'README.txt'), 'hello');
    await writeFile(join(root, 'a', 'y.wav.NOTHEX0123456789.npy'), 'x');
    await writeFile(join(root, 'plain.npy'), 'x');
    const ids: string[] = [];
    for await (const k of cache.keys()) ids.push(k.id);
    expect(ids).toEqual([key('a/x.wav').id]);
    expect(await cache.byteSize()).toBe(128 + 80 * 2 * 4);
  });

  it("removeStrays(key) deletes that entry's temporary files left by a killed writer, nothing else", async () => {
    const root = await freshRoot();
    const cache = fsCache({ root });
    const x = key('a/x.wav');
    const y = key('a/x.wav', 'other fingerprint');
    await cache.put(x, tensor(2));
    await cache.put(y, tensor(3));
    const entry = `x.wav.${x.variant}.npy`;
    for (const name of [`${entry}.3735928559`, `${entry}.17`, `x.wav.${y.variant}.npy.42`, `${entry}.notes`])
      await writeFile(join(root, 'a', name), 'partial');
    expect(await cache.removeStrays(x)).toBe(2);
    expect((await readdir(join(root, 'a'))).sort()).toEqual(
      [entry, `${entry}.notes`, `x.wav.${y.variant}.npy`, `x.wav.${y.variant}.npy.42`].sort(),
    );
    expect((await cache.get(x))!.shape).toEqual([80, 2]);
    expect(await cache.removeStrays(key('never/written.wav'))).toBe(0);
  });

  it('an empty or missing root has no keys and 0 bytes', async () => {
    const cache = fsCache({ root: join(await freshRoot(), 'not-yet') });
    const ids: string[] = [];
    for await (const k of cache.keys()) ids.push(k.id);
    expect(ids).toEqual([]);
    expect(await cache.byteSize()).toBe(0);
    expect(await cache.get(key('a.wav'))).toBeUndefined();
  });
});

describe('fsCache damaged entries', () => {
  it('reports a truncated or corrupt file as SPG_CACHE_CORRUPT with its path; a put regenerates it', async () => {
    const root = await freshRoot();
    const cache = fsCache({ root });
    const k = key('d/bad.wav');
    await cache.put(k, tensor(50, 3));
    const file = cache.pathOf(k);
    const good = await readFile(file);
    for (const damaged of [
      good.subarray(0, good.length - 4),
      good.subarray(0, 60),
      Buffer.alloc(0),
      Buffer.from('garbage'),
    ]) {
      await writeFile(file, damaged);
      const error = await caught(() => cache.get(k));
      expect(error.code).toBe('SPG_CACHE_CORRUPT');
      expect(error.path).toBe(file);
      expect(error.message).toContain(file);
    }
    await cache.put(k, tensor(50, 3));
    expect((await cache.get(k))!.data[10]).toBe(3);
  });
});

describe('fsCache storage errors', () => {
  it('a root that is a file: SpgCacheError naming the path and the operation', async () => {
    const parent = await freshRoot();
    const root = join(parent, 'file');
    await writeFile(root, 'not a directory');
    const cache = fsCache({ root });
    const error = await caught(() => cache.put(key('a.wav'), tensor(1)));
    expect(error.operation).toBe('put');
    expect(error.path).toBe(cache.pathOf(key('a.wav')));
    expect(error.message).toMatch(/Cannot write cache entry .*a\.wav\.[0-9a-f]{16}\.npy \(put\)/);
    expect(error.message).toMatch(/directory/);
  });

  it.skipIf(process.getuid?.() === 0)(
    'a read-only root: SPG_CACHE_NOT_WRITABLE (skipped as root, which ignores modes)',
    async () => {
      const root = await freshRoot();
      await mkdir(join(root, 'ro'));
      await chmod(join(root, 'ro'), 0o500);
      const error = await caught(() => fsCache({ root: join(root, 'ro') }).put(key('a.wav'), tensor(1)));
      expect(error.code).toBe('SPG_CACHE_NOT_WRITABLE');
      await chmod(join(root, 'ro'), 0o700);
    },
  );

  it('maps disk-full and read-only filesystem errors to codes with advice', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: boom`), { code });
    const full = cacheIoError('put', '/c/a.npy', errno('ENOSPC'), 'a#1');
    expect(full.code).toBe('SPG_CACHE_DISK_FULL');
    expect(full.message).toMatch(/\/c\/a\.npy \(put\).*disk .*full/);
    expect(full.path).toBe('/c/a.npy');
    const readOnly = cacheIoError('put', '/c/a.npy', errno('EROFS'), 'a#1');
    expect(readOnly.code).toBe('SPG_CACHE_NOT_WRITABLE');
    expect(readOnly.message).toMatch(/read-only/);
    expect(readOnly.cause).toBeInstanceOf(Error);
  });
});

describe('fsCache keys and fingerprints', () => {
  // docs/behaviour.md#caches: every parameter that changes the values is in the fingerprint; the file identity too.
  const base = {
    extractor: 'dsp-js/log-mel',
    version: 1,
    sampleRate: 16000,
    nFft: 400,
    hopLength: 160,
    nMels: 80,
    paddedLength: 30720,
    windowOffset: 1600,
    normalize: true,
    dtype: 'float32',
  };
  const changes: Record<string, unknown> = {
    extractor: 'dsp-wasm/log-mel',
    version: 2,
    sampleRate: 22050,
    nFft: 512,
    hopLength: 128,
    nMels: 64,
    paddedLength: 32000,
    windowOffset: 800,
    normalize: false,
    dtype: 'float16',
  };

  it('changing any fingerprinted parameter or the file identity never serves the old entry', async () => {
    const cache = fsCache({ root: await freshRoot() });
    const file = { path: 'spk/a.wav', size: 48000, changeToken: 'mtime-1' };
    const oldKey = cacheKey(file, fingerprint(base));
    await cache.put(oldKey, tensor(4, 7));
    expect(Object.keys(changes).sort()).toEqual(Object.keys(base).sort());
    const seen = new Set([oldKey.id]);
    for (const [field, value] of Object.entries(changes)) {
      const k = cacheKey(file, fingerprint({ ...base, [field]: value }));
      expect(seen.has(k.id), field).toBe(false);
      seen.add(k.id);
      expect(await cache.get(k), field).toBeUndefined();
      expect(await cache.has(k), field).toBe(false);
    }
    for (const changed of [
      { ...file, size: 48001 },
      { ...file, changeToken: 'mtime-2' },
    ]) {
      expect(await cache.get(cacheKey(changed, fingerprint(base)))).toBeUndefined();
    }
    expect((await cache.get(oldKey))!.data[0]).toBe(7);
  });
});

describe('fsCache hostile keys', () => {
  // Core's cache boundary (layeredCache) checks keys before any cache sees them; fsCache checks
  // again before touching disk, so a key made by hand never reaches outside the root.
  it('rejects hostile keys itself on every operation and writes nothing', async () => {
    const root = await freshRoot();
    const cache = fsCache({ root: join(root, 'cache') });
    const variant = '0123456789abcdef';
    const make = (path: string, v = variant) => ({ path, variant: v, id: `${path}#${v}` });
    const hostile = [
      make('../escape.wav'),
      make('a/../../escape.wav'),
      make('/etc/passwd'),
      make('a\\..\\b.wav'),
      make('ok.wav', '../../../escape'),
      null,
    ] as unknown as Parameters<typeof cache.get>[0][];
    for (const bad of hostile) {
      for (const work of [
        () => cache.put(bad, tensor(1)),
        () => cache.get(bad),
        () => cache.has(bad),
        () => cache.delete(bad),
      ])
        expect((await caught(work)).code).toBe('SPG_CACHE_BAD_KEY');
    }
    expect(existsSync(join(root, 'cache'))).toBe(false);
    expect(existsSync(join(root, 'escape.wav.0123456789abcdef.npy'))).toBe(false);
  });
});

describe('fsCacheDefinition', () => {
  it('validates JSON options with its schema and creates the cache', async () => {
    const root = await freshRoot();
    const ok = await fsCacheDefinition.schema['~standard'].validate({ root, dtype: 'float16' });
    expect('value' in ok && ok.value).toEqual({ root, dtype: 'float16' });
    const bad = await fsCacheDefinition.schema['~standard'].validate({
      root: '',
      dtype: 'float64',
      extra: 1,
    });
    expect('issues' in bad && bad.issues!.length).toBeGreaterThanOrEqual(2);
    const cache = await fsCacheDefinition.create({ root });
    expect(cache.id).toBe(FS_CACHE_ID);
    expect(cache.kind).toBe('cache');
    // No per-file fsync by default: atomic renames, validated reads and one sync() per build instead.
    expect(cache.options).toEqual({ root, dtype: 'float32', fsync: false });
  });

  it('rejects invalid factory options with SpgConfigError naming the field', () => {
    expect(() => fsCache({ root: '' })).toThrow(SpgConfigError);
    expect(() => fsCache({ root: '/x', dtype: 'int8' as 'float32' })).toThrow(/dtype/);
  });

  it('creates nested directories lazily (nothing on disk before the first put)', async () => {
    const root = join(await freshRoot(), 'lazy');
    fsCache({ root });
    await expect(stat(root)).rejects.toThrow();
  });
});

describe('Python interop', () => {
  const hasNumpy =
    spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0 &&
    existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)));
  it.skipIf(!hasNumpy)(
    'scripts/check-numpy.mjs loads every entry with numpy.load (needs python3-numpy and a build)',
    () => {
      const run = spawnSync(
        process.execPath,
        [fileURLToPath(new URL('../scripts/check-numpy.mjs', import.meta.url))],
        {
          encoding: 'utf8',
        },
      );
      expect(run.stdout).toContain('loaded every entry');
      expect(run.status).toBe(0);
    },
  );
});

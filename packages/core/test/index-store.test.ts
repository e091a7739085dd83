import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileIndexStore } from '../src/node';

const root = mkdtempSync(join(tmpdir(), 'spg-index-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fileIndexStore', () => {
  const store = fileIndexStore(join(root, 'index'));
  const index = { files: [{ path: 'a.wav', length: 16000 }], version: 1 };

  it('missing -> undefined; save then load round-trips', async () => {
    expect(await store.load('abc123')).toBeUndefined();
    await store.save('abc123', index);
    expect(await store.load('abc123')).toEqual(index);
  });

  it('writes readable JSON named after the fingerprint, and leaves no temporary files', async () => {
    await store.save('readable', index);
    const text = readFileSync(join(root, 'index', 'index-readable.json'), 'utf8');
    expect(text).toContain('\n');
    expect(JSON.parse(text)).toEqual(index);
    expect(readdirSync(join(root, 'index')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps pairs of numbers (kept windows, intervals) on one line, with exactly the values', async () => {
    const windows = {
      windows: [
        [0, 1],
        [1, 0.8333333333333334],
        [12, 1e-7],
        [3, -0],
      ],
      intervals: [[-5, 2.5e21]],
    };
    await store.save('pairs', windows);
    const text = readFileSync(join(root, 'index', 'index-pairs.json'), 'utf8');
    expect(text).toContain('[1, 0.8333333333333334]');
    expect(text).toContain('[12, 1e-7]');
    expect(text).toContain('[-5, 2.5e+21]');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(windows)));
  });

  it('concurrent saves of one fingerprint leave one complete entry', async () => {
    const big = (n: number) => ({
      n,
      files: Array.from({ length: 5000 }, (_, i) => ({ path: `f${i}.wav`, n })),
    });
    await Promise.all(Array.from({ length: 8 }, (_, n) => store.save('race', big(n))));
    const loaded = (await store.load('race')) as { n: number; files: { n: number }[] };
    expect(loaded.files).toHaveLength(5000);
    expect(loaded.files.every((f) => f.n === loaded.n)).toBe(true);
  });

  it('a truncated file loads as a non-index value (the dataset reports and rebuilds it)', async () => {
    writeFileSync(join(root, 'index', 'index-cut.json'), '{"files": [{"path": "a.w');
    const loaded = await store.load('cut');
    expect(typeof loaded).toBe('string');
    expect(loaded).toMatch(/^unreadable index .*index-cut\.json/);
  });

  it('rejects fingerprints that could escape the folder', async () => {
    await expect(store.load('../x')).rejects.toThrow(/is not a fingerprint/);
    await expect(store.save('a/b', {})).rejects.toThrow(/is not a fingerprint/);
  });
});

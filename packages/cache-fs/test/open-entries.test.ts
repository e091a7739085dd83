import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpenEntries } from '../src/open-entries';
import { encodeNpy } from './fixtures/core-subset';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe('OpenEntries', () => {
  it('keeps entries open while windows are read and closes them all once idle', async () => {
    const root = await mkdtemp(join(tmpdir(), 'spg-open-entries-'));
    roots.push(root);
    const files = ['a', 'b', 'c'].map((name) => join(root, `${name}.npy`));
    for (const file of files) await writeFile(file, encodeNpy({ data: new Float32Array(8), shape: [2, 4] }));
    const entries = new OpenEntries(2, 80);
    const where = { path: 'test' };
    const a = (await entries.get(files[0]!, where))!;
    a.release();
    const again = (await entries.get(files[0]!, where))!;
    // The same handle while it is kept open.
    expect(again.handle).toBe(a.handle);
    again.release();
    const b = (await entries.get(files[1]!, where))!;
    b.release();
    // A third entry closes the least recently used (a) once its readers are done.
    const c = (await entries.get(files[2]!, where))!;
    c.release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(a.handle.fd).toBe(-1);
    expect(b.handle.fd).toBeGreaterThan(-1);
    // Idle for longer than 80 ms: every handle is closed.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([b.handle.fd, c.handle.fd]).toEqual([-1, -1]);
    // And reopened on the next read.
    const reopened = (await entries.get(files[1]!, where))!;
    expect(reopened.handle.fd).toBeGreaterThan(-1);
    reopened.release();
    await entries.closeAll();
    expect(reopened.handle.fd).toBe(-1);
  });
});

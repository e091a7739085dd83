import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheKey } from '@spgdataset/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fsCache } from '../src/fs-cache';
import { freshRoots } from './fresh-roots';

const freshRoot = freshRoots('spg-cache-fs-spill-');
const key = (path: string) => cacheKey({ path, size: 10, changeToken: 'a' }, 'fp');

/** Frame-major values exact in float16 too (multiples of 1/8 below 128 in magnitude). */
const exactValue = (i: number) => ((i * 37) % 1000) / 8 - 60;

describe('fsCache writer with spilled entries (writes behind, reads ahead)', () => {
  it('commits what was appended and rewritten, for any piece sizes, block sizes, dtype and passes', async () => {
    const root = await freshRoot();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 12 }),
        fc.constantFrom('float32' as const, 'float16' as const),
        fc.boolean(),
        async (rows, spillFrames, pieces, dtype, scan) => {
          const cache = fsCache({
            root: join(root, String(run++)),
            dtype,
            spillBytes: rows * 4 * spillFrames,
          });
          const k = key('long/file.wav');
          const writer = await cache.writer!(k, rows);
          const frames = pieces.reduce((a, b) => a + b, 0);
          const values = Float32Array.from({ length: rows * frames }, (_, i) => exactValue(i));
          let at = 0;
          for (const piece of pieces) {
            // A fresh copy the writer must not keep: it is overwritten right after append resolves.
            const copy = values.slice(at * rows, (at + piece) * rows);
            await writer.append(copy);
            copy.fill(Number.NaN);
            at += piece;
          }
          if (scan) {
            let seen = 0;
            await writer.pass((block, first) => {
              expect(first).toBe(seen);
              for (let i = 0; i < block.length; i++) expect(block[i]).toBe(values[seen * rows + i]);
              seen += block.length / rows;
            }, false);
            expect(seen).toBe(frames);
          }
          await writer.pass((block) => {
            for (let i = 0; i < block.length; i++) block[i] = -block[i]! + 0.5;
          }, true);
          await writer.commit();
          const entry = await cache.get(k);
          expect(entry!.shape).toEqual([rows, frames]);
          // The entry is mel-major; the writer was given frame-major values.
          for (let t = 0; t < frames; t++)
            for (let m = 0; m < rows; m++)
              if (entry!.data[m * frames + t] !== -values[t * rows + m]! + 0.5)
                throw new Error(`value [${m}, ${t}] is ${entry!.data[m * frames + t]}`);
          expect((await readdir(join(root, String(run - 1), 'long'))).length).toBe(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a visit that throws rejects the pass; abort then leaves no temporary file and no entry', async () => {
    const root = await freshRoot();
    const rows = 4;
    const cache = fsCache({ root, spillBytes: rows * 4 * 8 });
    const k = key('broken/file.wav');
    const writer = await cache.writer!(k, rows);
    for (let i = 0; i < 50; i++) await writer.append(new Float32Array(rows * 3).fill(i));
    let visits = 0;
    await expect(
      writer.pass(() => {
        if (++visits === 3) throw new Error('visit failed');
      }, true),
    ).rejects.toThrow('visit failed');
    await writer.abort();
    expect(await readdir(join(root, 'broken'))).toEqual([]);
    expect(await cache.get(k)).toBeUndefined();
  });
});

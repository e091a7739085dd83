import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsCache } from '../src/fs-cache';
import { bundleFillCache } from './bundle-child';
import { crashKey, crashTensor } from './fixtures/fill-cache';
import { freshRoots } from './fresh-roots';

const COUNT = 24;
let script: string;
const freshRoot = freshRoots('spg-cache-crash-');

beforeAll(async () => {
  script = await bundleFillCache();
});
afterAll(async () => {
  await rm(join(script, '..'), { recursive: true, force: true });
});

function run(args: string[]) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const written: number[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.startsWith('wrote ')) {
        written.push(Number(line.slice(6)));
      }
      newline = buffer.indexOf('\n');
    }
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { child, written, exited };
}

/** Every entry either absent or exactly right; returns the indices present. */
async function checkEntries(root: string): Promise<number[]> {
  const cache = fsCache({ root });
  const present: number[] = [];
  for (let i = 0; i < COUNT; i++) {
    const got = await cache.get(crashKey(i)); // a torn entry would throw SPG_CACHE_CORRUPT here
    if (!got) continue;
    const want = crashTensor(i);
    expect(got.shape).toEqual(want.shape);
    // Buffer.equals, not toEqual: deep equality over megabytes is slow.
    const same = Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength).equals(
      Buffer.from(want.data.buffer),
    );
    expect(same, `entry ${i} differs`).toBe(true);
    present.push(i);
  }
  const listed: string[] = [];
  for await (const k of cache.keys()) listed.push(k.id);
  expect(listed.sort()).toEqual(present.map((i) => crashKey(i).id).sort());
  return present;
}

/** In-flight temporary files left by a kill: the cache names them `<entry>.npy.<number>`. */
async function countTempFiles(root: string): Promise<number> {
  const files = await readdir(root, { recursive: true });
  return files.filter((f) => /\.npy\.\d+$/.test(f)).length;
}

type Run = ReturnType<typeof run>;

async function crashThenRefill(root: string, kill: (filling: Run) => void) {
  const filling = run([root, String(COUNT), 'fill']);
  kill(filling);
  const { signal } = await filling.exited;
  const present = await checkEntries(root);
  const missing = Array.from({ length: COUNT }, (_, i) => i).filter((i) => !present.includes(i));
  const strays = await countTempFiles(root);
  const refill = run([root, String(COUNT), 'refill']);
  const { code } = await refill.exited;
  expect(code).toBe(0);
  // Reopening regenerates exactly the missing entries.
  expect(refill.written).toEqual(missing);
  expect(await checkEntries(root)).toHaveLength(COUNT);
  return { signal, present: present.length, strays };
}

describe('fsCache crash safety (child SIGKILLed while filling)', () => {
  it.each([0, 1, 7, 23])('after %i completed writes (deterministic point)', async (after) => {
    const root = await freshRoot();
    const result = await crashThenRefill(root, (filling) => {
      if (after === 0) filling.child.kill('SIGKILL');
      else {
        const { child } = filling;
        // Kill as soon as the child reports write number `after` (it is then inside the next put).
        child.stdout!.on('data', () => {
          if (filling.written.length >= after) child.kill('SIGKILL');
        });
      }
    });
    expect(result.signal).toBe('SIGKILL');
    expect(result.present).toBeGreaterThanOrEqual(after);
  });

  it('at random times', async () => {
    const report: string[] = [];
    for (let round = 0; round < 8; round++) {
      const root = await freshRoot();
      // Measured from the first completed write, inside the ~100-200 ms the rest of the fill takes.
      const delay = Math.random() * 120;
      const result = await crashThenRefill(root, (filling) => {
        filling.child.stdout!.once('data', () => setTimeout(() => filling.child.kill('SIGKILL'), delay));
      });
      report.push(
        `${delay.toFixed(1)} ms: ${result.present} complete, ${result.strays} stray temp files, ${result.signal ?? 'exited'}`,
      );
    }
    console.log(`crash rounds (kill delay: entries kept, temp files left):\n  ${report.join('\n  ')}`);
  });
});

describe('fsCache with two processes writing the same keys', () => {
  it('ends with every entry complete and equal to the value of one writer', async () => {
    const root = await freshRoot();
    const a = run([root, String(COUNT), 'fill', '0']);
    const b = run([root, String(COUNT), 'fill', '1']);
    expect((await a.exited).code).toBe(0);
    expect((await b.exited).code).toBe(0);
    const cache = fsCache({ root });
    for (let i = 0; i < COUNT; i++) {
      const got = (await cache.get(crashKey(i)))!;
      const candidates = [crashTensor(i, 0), crashTensor(i, 1)];
      const same = candidates.some((t) =>
        Buffer.from(t.data.buffer).equals(
          Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength),
        ),
      );
      expect(same, `entry ${i}`).toBe(true);
    }
    expect(await countTempFiles(root)).toBe(0);
  });
});

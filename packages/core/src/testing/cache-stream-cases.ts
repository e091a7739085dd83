import type { Tensor } from '../contracts/tensor';
import { type CacheCaseContext, expectCacheError, key } from './cache-case-context';
import { randomTensor } from './cache-tensors';
import { check } from './check';

/** Mel-major `[rows, frames]` values exact in float16 too (multiples of 1/8 below 128 in magnitude). */
function exactTensor(rows: number, frames: number): Tensor {
  const data = Float32Array.from({ length: rows * frames }, (_, i) => ((i * 37) % 1000) / 8 - 60);
  return { data, shape: [rows, frames] };
}

/** Frame-major copy of a mel-major tensor (what a writer is given). */
function frameMajor({ data, shape }: Tensor): Float32Array {
  const [rows, frames] = shape as [number, number];
  const out = new Float32Array(data.length);
  for (let m = 0; m < rows; m++) for (let t = 0; t < frames; t++) out[t * rows + m] = data[m * frames + t]!;
  return out;
}

/** Columns `[first, first + count)` of a mel-major tensor. */
function columns({ data, shape }: Tensor, first: number, count: number): Tensor {
  const [rows, frames] = shape as [number, number];
  const out = new Float32Array(rows * count);
  for (let m = 0; m < rows; m++)
    out.set(data.subarray(m * frames + first, m * frames + first + count), m * count);
  return { data: out, shape: [rows, count] };
}

/**
 * The optional streaming members: `writer` (frames appended in pieces, visited and rewritten by
 * `pass`, committed equal to `put` of the same values, invisible until `commit`, `abort` keeping the
 * key's old entry) and `readWindow` (columns equal to `get`'s bit for bit, at the edges, into a
 * given array; a missing key is undefined; columns outside the entry are `SPG_CACHE_BAD_WINDOW`).
 */
export function cacheStreamCases(ctx: CacheCaseContext, noWriter?: string, noReadWindow?: string): void {
  const { add, expectSameTensor, storage } = ctx;
  add(
    'writer(): frames appended in pieces and rewritten by pass() commit equal to put of the same values',
    async (cache) => {
      const rows = 80;
      const frames = 203;
      const tensor = exactTensor(rows, frames);
      const values = frameMajor(tensor);
      const k = key('streamed/long.wav');
      const writer = await cache.writer!(k, rows);
      let at = 0;
      for (const piece of [1, 7, 64, 0, 131]) {
        await writer.append(values.subarray(at * rows, (at + piece) * rows));
        at += piece;
      }
      check(writer.frames, 'frames appended').toBe(frames);
      check(await cache.get(k), 'entry before commit').toBeUndefined();
      let visited = 0;
      await writer.pass((block, first) => {
        check(first, 'first frame of a block').toBe(visited);
        visited += block.length / rows;
      }, false);
      check(visited, 'frames visited by pass').toBe(frames);
      await writer.pass((block) => {
        for (let i = 0; i < block.length; i++) block[i] = block[i]! * 2 + 1;
      }, true);
      const stored = await writer.commit();
      check(stored === true || stored === undefined, `commit resolved to ${String(stored)}`).toBe(true);
      const expected = { data: tensor.data.map((v) => v * 2 + 1), shape: [rows, frames] };
      expectSameTensor(await cache.get(k), expected, 'committed entry');
    },
    noWriter,
  );

  add(
    'writer(): abort() keeps what the key had',
    async (cache) => {
      const k = key('streamed/aborted.wav');
      const old = randomTensor(4, 6, 9, storage);
      await cache.put(k, old);
      const writer = await cache.writer!(k, 4);
      await writer.append(new Float32Array(4 * 10).fill(3));
      await writer.abort();
      await writer.abort();
      expectSameTensor(await cache.get(k), old, 'entry after abort');
      const fresh = await cache.writer!(key('streamed/never.wav'), 4);
      await fresh.append(new Float32Array(8));
      await fresh.abort();
      check(await cache.has(key('streamed/never.wav')), 'an aborted new key').toBe(false);
    },
    noWriter,
  );

  add(
    'readWindow(): columns equal get() bit for bit, at the edges and into a given array',
    async (cache) => {
      const k = key('windows/long.wav');
      await cache.put(k, randomTensor(80, 300, 21, storage));
      const whole = (await cache.get(k))!;
      for (const [first, count] of [
        [0, 300],
        [17, 64],
        [0, 1],
        [299, 1],
        [236, 64],
        [300, 0],
      ] as const) {
        const window = await cache.readWindow!(k, first, count);
        expectSameTensor(window, columns(whole, first, count), `columns [${first}, ${first + count})`);
      }
      const into = new Float32Array(80 * 64 + 5).fill(7);
      const window = (await cache.readWindow!(k, 100, 64, into))!;
      check(window.data.buffer, 'window written into the given array').toBe(into.buffer);
      check(window.data.byteOffset, 'at its start').toBe(into.byteOffset);
      expectSameTensor(window, columns(whole, 100, 64), 'columns [100, 164) into a given array');
      check(into[80 * 64], 'values after the window untouched').toBe(7);
      check(await cache.readWindow!(key('windows/absent.wav'), 0, 1), 'a missing key').toBeUndefined();
      for (const [first, count] of [
        [290, 20],
        [-1, 5],
        [301, 0],
        [1.5, 2],
      ] as const)
        await expectCacheError(
          () => cache.readWindow!(k, first, count),
          'SPG_CACHE_BAD_WINDOW',
          `columns [${first}, ${first + count})`,
        );
    },
    noReadWindow,
  );
}

// The ustar writer against GNU tar (an independent reader and writer), and the streaming parser's
// checks: any chunking gives the same members; damaged headers, a missing end marker and every
// truncation point are named errors with the byte offset, never a silent short read.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SpgShardError, type TarMember, TarParser, tarEnd, tarHeader, tarMember } from '../src/index';
import { tempDir } from './shard-fakes';

const hasTar = spawnSync('tar', ['--version']).status === 0;
const work = tempDir('tar');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const files: [string, Uint8Array][] = [
  ['0123abcd.spectrogram.npy', bytes(1000, 1)],
  ['0123abcd.json', new TextEncoder().encode('{"a":1}')],
  ['empty.bin', new Uint8Array(0)],
  ['one-block.bin', bytes(512, 2)],
  ['block-plus-one.bin', bytes(513, 3)],
  [`${'n'.repeat(96)}.npy`, bytes(511, 4)],
];

function archive(members: [string, Uint8Array][]): Uint8Array {
  const parts = [...members.map(([name, data]) => tarMember(name, data)), tarEnd()];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Parses `data` fed in the given chunk sizes; throws what the parser throws. */
function parse(data: Uint8Array, chunks: number[] = [data.length], want = (_: string) => true): TarMember[] {
  const parser = new TarParser('test.tar');
  const out: TarMember[] = [];
  let at = 0;
  let c = 0;
  for (;;) {
    const member = parser.next(want);
    if (member === null) return out;
    if (member) {
      out.push(member);
      continue;
    }
    if (at >= data.length) parser.finish();
    else {
      const size = Math.max(1, chunks[c++ % chunks.length]!);
      parser.push(data.subarray(at, at + size));
      at += size;
    }
  }
}

function shardError(run: () => unknown): SpgShardError {
  try {
    run();
  } catch (error) {
    if (SpgShardError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an SpgShardError, got none');
}

describe.skipIf(!hasTar)(
  hasTar ? 'tar writer vs GNU tar' : 'tar writer vs GNU tar: SKIPPED, no `tar` on PATH',
  () => {
    it('GNU tar lists and extracts what tarMember wrote, byte for byte', () => {
      const path = join(work, 'ours.tar');
      writeFileSync(path, archive(files));
      const listed = spawnSync('tar', ['--list', '--verbose', '--numeric-owner', '-f', path], {
        encoding: 'utf8',
      });
      expect(listed.status).toBe(0);
      const lines = listed.stdout.trim().split('\n');
      expect(lines.map((l) => l.split(/\s+/).at(-1))).toEqual(files.map(([name]) => name));
      expect(lines.map((l) => Number(l.split(/\s+/)[2]))).toEqual(files.map(([, d]) => d.length));
      for (const [name, data] of files) {
        const extracted = spawnSync('tar', ['-xOf', path, name]);
        expect(extracted.status).toBe(0);
        expect(new Uint8Array(extracted.stdout)).toEqual(data);
      }
    });

    it.each(['ustar', 'gnu', 'pax'])('the parser reads an archive GNU tar wrote (--format=%s)', (format) => {
      const dir = join(work, `src-${format}`);
      const folder = 'd'.repeat(20);
      mkdirSync(join(dir, folder), { recursive: true });
      // ustar: 115 characters split into its prefix and name fields; gnu and pax: a 124-character
      // basename, which only a GNU long-name member or a pax path record can carry.
      const long = `${folder}/${'l'.repeat(format === 'ustar' ? 90 : 120)}.bin`;
      const mine: [string, Uint8Array][] = [...files.slice(0, 5), [long, bytes(700, 9)]];
      for (const [name, data] of mine) writeFileSync(join(dir, name), data);
      const path = join(work, `gnu-${format}.tar`);
      const made = spawnSync('tar', [`--format=${format}`, '-cf', path, '-C', dir, ...mine.map(([n]) => n)]);
      expect(made.status).toBe(0);
      const members = parse(new Uint8Array(readFileSync(path)), [4096]);
      expect(members.map((m) => [m.name, m.data])).toEqual(mine);
    });
  },
);

describe('TarParser', () => {
  const data = archive(files);

  it('gives the same members for any chunking', () => {
    const whole = parse(data);
    expect(whole.map((m) => [m.name, m.data])).toEqual(files);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1600 }), { minLength: 1, maxLength: 8 }), (chunks) => {
        expect(parse(data, chunks)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('skips the data of members not wanted, keeping offsets', () => {
    const members = parse(data, [700], (name) => name.endsWith('.json'));
    expect(members.map((m) => m.data === undefined)).toEqual(files.map(([name]) => !name.endsWith('.json')));
    expect(members.map((m) => m.offset)).toEqual(parse(data).map((m) => m.offset));
    expect(members[1]!.offset).toBe(512 + 1024);
  });

  it('names a damaged header (checksum) with its byte offset', () => {
    const second = 512 + 1024; // header of member 1
    for (const at of [second + 3, second + 124, second + 150, second + 300]) {
      const bad = data.slice();
      bad[at]! ^= 0x01;
      const error = shardError(() => parse(bad));
      expect(error.code).toBe('SPG_SHARD_CORRUPT');
      expect(error.offset).toBe(second);
      expect(error.url).toBe('test.tar');
      expect(error.message).toMatch(/checksum/);
    }
  });

  it('rejects a header without the ustar magic even when its checksum fits', () => {
    const header = tarHeader('x.bin', 3);
    header.set(new TextEncoder().encode('abcde'), 257);
    const member = new Uint8Array(1024);
    member.set(header);
    // Recompute the checksum so only the magic is wrong.
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : member[i]!;
    member.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    const bad = new Uint8Array([...member, ...tarEnd()]);
    const error = shardError(() => parse(bad));
    expect(error.code).toBe('SPG_SHARD_CORRUPT');
    expect(error.message).toMatch(/magic/);
  });

  it('reports every truncation as SPG_SHARD_TRUNCATED, never a short list of members', () => {
    const cuts = new Set<number>();
    for (let at = 0; at < data.length; at += 512) cuts.add(at);
    for (let i = 0; i < 60; i++) cuts.add(Math.floor((i * 7919) % data.length));
    cuts.delete(0);
    for (const cut of cuts) {
      const error = shardError(() => parse(data.subarray(0, cut), [333]));
      expect(error.code).toBe('SPG_SHARD_TRUNCATED');
      expect(error.offset).toBeLessThanOrEqual(cut);
      expect(error.message).toContain('test.tar');
    }
  });

  it('rejects data after a single zero block', () => {
    const bad = new Uint8Array([
      ...tarMember('a.bin', bytes(10, 5)),
      ...new Uint8Array(512),
      ...tarMember('b.bin', bytes(3, 6)),
      ...tarEnd(),
    ]);
    const error = shardError(() => parse(bad));
    expect(error.code).toBe('SPG_SHARD_CORRUPT');
    expect(error.offset).toBe(1024);
  });

  it('the writer rejects names tar or webdataset would mangle', () => {
    expect(() => tarHeader('dir/x.npy', 1)).toThrow(RangeError);
    expect(() => tarHeader('x'.repeat(101), 1)).toThrow(RangeError);
    expect(() => tarHeader('a b.npy', 1)).toThrow(RangeError);
  });
});

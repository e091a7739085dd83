import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpgConfigError, SpgError } from '../src/index';
import { fsSource, fsSourceDefinition } from '../src/node';

const base = mkdtempSync(join(tmpdir(), 'spg-fs-source-'));
const root = join(base, 'audio');
const outside = join(base, 'outside');
mkdirSync(join(root, 'b/deep'), { recursive: true });
mkdirSync(join(root, 'a'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(root, 'b/deep/z.wav'), 'zz');
writeFileSync(join(root, 'a/y.mp3'), 'yyy');
writeFileSync(join(root, 'B.txt'), 'x');
writeFileSync(join(root, 'a.flac'), 'aaaa');
writeFileSync(join(outside, 'secret.wav'), 'secret');
symlinkSync(join(outside, 'secret.wav'), join(root, 'escape.wav'));
symlinkSync(outside, join(root, 'escape-dir'));
symlinkSync(join(root, 'a/y.mp3'), join(root, 'inside-link.mp3'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('fsSource', () => {
  const source = fsSource(root);

  it('lists every file recursively as sorted relative POSIX paths, leaving out escaping symlinks', async () => {
    expect(await source.list()).toEqual(['B.txt', 'a.flac', 'a/y.mp3', 'b/deep/z.wav', 'inside-link.mp3']);
  });

  it('reads into a given buffer when the file fits (a view of it), else into a new array', async () => {
    const into = new Uint8Array(16).fill(7);
    const bytes = await source.read('a.flac', into);
    expect(new TextDecoder().decode(bytes)).toBe('aaaa');
    expect(bytes.buffer).toBe(into.buffer);
    expect(bytes.byteOffset).toBe(0);
    const small = new Uint8Array(2);
    const larger = await source.read('a.flac', small);
    expect(larger.buffer).not.toBe(small.buffer);
    expect(new TextDecoder().decode(larger)).toBe('aaaa');
    // Without a buffer: a plain Uint8Array (not a Buffer, whose slice() would not copy).
    const plain = await source.read('a.flac');
    expect(Object.getPrototypeOf(plain)).toBe(Uint8Array.prototype);
    await expect(source.read('escape.wav', into)).rejects.toThrow(/outside/);
  });

  it('stats size and an mtime change token that moves when the file changes', async () => {
    const first = await source.stat('a/y.mp3');
    expect(first.size).toBe(3);
    writeFileSync(join(root, 'a/y.mp3'), 'changed!');
    const { utimesSync } = await import('node:fs');
    utimesSync(join(root, 'a/y.mp3'), new Date(), new Date(Date.now() + 5000));
    const second = await source.stat('a/y.mp3');
    expect(second.size).toBe(8);
    expect(second.changeToken).not.toBe(first.changeToken);
  });

  it('reads bytes', async () => {
    expect(new TextDecoder().decode(await source.read('b/deep/z.wav'))).toBe('zz');
  });

  it.each(['../outside/secret.wav', '/etc/passwd', 'a/../a.flac', 'a//y.mp3', ''])(
    'rejects the unsafe path %j with SpgConfigError',
    async (path) => {
      await expect(source.read(path)).rejects.toSatisfy((e) => SpgConfigError.isInstance(e));
    },
  );

  it('refuses to read through a symlink that leaves the root', async () => {
    await expect(source.read('escape.wav')).rejects.toThrow(/resolves outside/);
    await expect(source.read('escape-dir/secret.wav')).rejects.toThrow(/resolves outside/);
  });

  it('a missing file is an SpgError naming it', async () => {
    const error = await source.read('a/missing.wav').catch((e) => e);
    expect(SpgError.isInstance(error)).toBe(true);
    expect(error.code).toBe('SPG_SOURCE_READ_FAILED');
    expect(error.message).toContain('"a/missing.wav"');
  });

  it('a missing root is an SpgConfigError naming it', () => {
    expect(() => fsSource(join(base, 'nope'))).toThrow(/audio root ".*nope" .* does not exist/);
    try {
      fsSource(join(base, 'nope'));
    } catch (error) {
      expect(SpgConfigError.isInstance(error)).toBe(true);
    }
  });

  it('has id, kind and JSON options that recreate it', () => {
    expect([source.kind, source.id, source.options]).toEqual(['source', 'core/fs', { root }]);
  });
});

describe('fsSource change tokens', () => {
  const copies = mkdtempSync(join(tmpdir(), 'spg-fs-tokens-'));
  afterAll(() => rmSync(copies, { recursive: true, force: true }));
  /** Two copies of the same files with different mtimes, as audio copied to two machines has. */
  const one = join(copies, 'one');
  const two = join(copies, 'two');
  for (const [dir, when] of [
    [one, new Date('2020-01-01T00:00:00Z')],
    [two, new Date('2024-06-01T12:00:00Z')],
  ] as const) {
    mkdirSync(join(dir, 'd'), { recursive: true });
    writeFileSync(join(dir, 'd/x.wav'), 'same bytes');
    // Big enough to be hashed in several stream chunks (1 MiB each).
    writeFileSync(join(dir, 'big.wav'), Buffer.alloc(3 * 2 ** 20 + 17, 7));
    for (const file of ['d/x.wav', 'big.wav']) utimesSync(join(dir, file), when, when);
  }

  it("'mtime' (the default) differs between the copies", async () => {
    const a = await fsSource(one).stat('d/x.wav');
    const b = await fsSource(two).stat('d/x.wav');
    expect(a.changeToken).toBe(String(new Date('2020-01-01T00:00:00Z').getTime()));
    expect(b.changeToken).not.toBe(a.changeToken);
  });

  it.each(['size', 'content'] as const)("'%s' is the same for both copies", async (changeToken) => {
    for (const path of ['d/x.wav', 'big.wav']) {
      const a = await fsSource(one, { changeToken }).stat(path);
      const b = await fsSource(two, { changeToken }).stat(path);
      expect(b).toEqual(a);
    }
  });

  it("'content' is the SHA-256 of the bytes: it moves when same-size content changes, 'size' does not", async () => {
    const dir = join(copies, 'edit');
    mkdirSync(dir);
    writeFileSync(join(dir, 'e.wav'), 'aaaa');
    const content = fsSource(dir, { changeToken: 'content' });
    const size = fsSource(dir, { changeToken: 'size' });
    const before = [await content.stat('e.wav'), await size.stat('e.wav')];
    expect(before[0]!.changeToken).toBe(`sha256:${createHash('sha256').update('aaaa').digest('hex')}`);
    writeFileSync(join(dir, 'e.wav'), 'bbbb');
    expect((await content.stat('e.wav')).changeToken).not.toBe(before[0]!.changeToken);
    expect(await size.stat('e.wav')).toEqual(before[1]);
  });

  it('keeps the mode in its JSON options (the default left out) and the definition recreates it', async () => {
    expect(fsSource(one).options).toEqual({ root: one });
    expect(fsSource(one, { changeToken: 'content' }).options).toEqual({ root: one, changeToken: 'content' });
    const made = await fsSourceDefinition.create({ root: two, changeToken: 'size' });
    expect(made.options).toEqual({ root: two, changeToken: 'size' });
    expect((await made.stat('d/x.wav')).changeToken).toBe('size');
  });

  it('rejects an unknown mode naming changeToken', () => {
    expect(() => fsSource(one, { changeToken: 'inode' as never })).toThrow(/changeToken: got "inode"/);
  });
});

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpgConfigError, SpgError } from '../src/index';
import { fsSource } from '../src/node';

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

import { describe, expect, it } from 'vitest';
import { bytesMetadata, fileListSource, mapSource, SpgConfigError, SpgError, urlSource } from '../src/index';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('mapSource', () => {
  it('lists sorted paths, reads, stats and bumps the change token on set', async () => {
    const source = mapSource({ 'b/x.wav': bytes('xx'), 'a.wav': bytes('a') });
    expect(await source.list()).toEqual(['a.wav', 'b/x.wav']);
    expect(new TextDecoder().decode(await source.read('b/x.wav'))).toBe('xx');
    const before = await source.stat('a.wav');
    source.set('a.wav', bytes('aaa'));
    const after = await source.stat('a.wav');
    expect(after.size).toBe(3);
    expect(after.changeToken).not.toBe(before.changeToken);
    await expect(source.read('nope.wav')).rejects.toSatisfy((e) => SpgError.isInstance(e));
  });

  it('rejects unsafe paths', () => {
    expect(() => mapSource({ '../a.wav': bytes('') })).toThrow(SpgConfigError);
  });
});

describe('fileListSource', () => {
  it('uses webkitRelativePath or name for Files and explicit paths for blobs', async () => {
    const file = new File([bytes('abc')], 'a.wav', { lastModified: 1234 });
    const nested = new File([bytes('d')], 'b.wav', { lastModified: 7 });
    Object.defineProperty(nested, 'webkitRelativePath', { value: 'dir/b.wav' });
    const source = fileListSource([file, nested, { path: 'c/c.mp3', blob: new Blob([bytes('cc')]) }]);
    expect(await source.list()).toEqual(['a.wav', 'c/c.mp3', 'dir/b.wav']);
    expect(await source.stat('a.wav')).toEqual({ size: 3, changeToken: '1234' });
    expect(await source.stat('c/c.mp3')).toEqual({ size: 2, changeToken: '0' });
    expect(new TextDecoder().decode(await source.read('dir/b.wav'))).toBe('d');
  });

  it('reports every duplicate or unsafe path in one SpgConfigError', () => {
    const blob = new Blob([]);
    try {
      fileListSource([
        { path: 'a.wav', blob },
        { path: 'a.wav', blob },
        { path: '/abs.wav', blob },
      ]);
      expect.unreachable();
    } catch (error) {
      expect(SpgConfigError.isInstance(error)).toBe(true);
      expect((error as SpgConfigError).issues.map((i) => i.path)).toEqual(['files[1]', 'files[2]']);
    }
  });
});

describe('urlSource', () => {
  const served: Record<string, string> = { 'https://h.test/data/dir/a%20b.wav': 'hello' };
  const calls: string[] = [];
  const fakeFetch = (async (href: string, init?: RequestInit) => {
    calls.push(`${init?.method} ${href}`);
    const body = served[href];
    if (body === undefined) return new Response('missing', { status: 404, statusText: 'Not Found' });
    return new Response(init?.method === 'HEAD' ? null : body, {
      headers: { 'content-length': String(body.length), etag: '"v1"' },
    });
  }) as typeof fetch;

  it('reads and stats files under the base URL (paths encoded per segment)', async () => {
    const source = urlSource('https://h.test/data', ['dir/a b.wav', 'gone.wav'], { fetch: fakeFetch });
    expect(await source.list()).toEqual(['dir/a b.wav', 'gone.wav']);
    expect(new TextDecoder().decode(await source.read('dir/a b.wav'))).toBe('hello');
    expect(await source.stat('dir/a b.wav')).toEqual({ size: 5, changeToken: '"v1"' });
    expect(calls).toEqual([
      'GET https://h.test/data/dir/a%20b.wav',
      'HEAD https://h.test/data/dir/a%20b.wav',
    ]);
    await expect(source.read('gone.wav')).rejects.toThrow(/"gone.wav".*404 Not Found/);
    expect(source.options).toEqual({ base: 'https://h.test/data/', paths: ['dir/a b.wav', 'gone.wav'] });
  });

  it('rejects unsafe paths', () => {
    expect(() => urlSource('https://h.test/', ['../x.wav'])).toThrow(SpgConfigError);
  });
});

describe('bytesMetadata', () => {
  it('reads strings, bytes and blobs', async () => {
    const text = '{"a.wav": {}}';
    for (const content of [text, bytes(text), new Blob([text])]) {
      const input = bytesMetadata('metadata.json', content);
      expect(input.name).toBe('metadata.json');
      expect(new TextDecoder().decode(await input.read())).toBe(text);
    }
  });
});

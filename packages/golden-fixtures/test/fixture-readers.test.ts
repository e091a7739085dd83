import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlFixtureReader } from '../src/index';
import {
  directoryFixtureReader,
  GOLDEN_FIXTURE_FILES,
  goldenFixtureReader,
  goldenFixturesDirectory,
} from '../src/node';

const index = JSON.parse(readFileSync(join(goldenFixturesDirectory, 'index.json'), 'utf8')) as {
  binary: string;
  cases: { expected: { offset: number; length: number } }[];
};

describe('goldenFixtureReader (Node)', () => {
  it('reads the shipped index and binary: 84 cases whose slices lie inside golden.bin', async () => {
    const reader = goldenFixtureReader();
    const parsed = JSON.parse(new TextDecoder().decode(await reader.read('index.json')));
    expect(parsed).toEqual(index);
    expect(index.binary).toBe('golden.bin');
    expect(index.cases.length).toBe(84);
    const binary = await reader.read('golden.bin');
    expect(binary).toBeInstanceOf(Uint8Array);
    expect(binary.byteLength).toBe(7169632);
    for (const c of index.cases)
      expect(c.expected.offset + 8 * c.expected.length).toBeLessThanOrEqual(binary.byteLength);
  });

  it('reads the resampler references: 18 cases whose slices lie inside resample.bin', async () => {
    const reader = goldenFixtureReader();
    const resample = JSON.parse(new TextDecoder().decode(await reader.read('resample-index.json'))) as {
      binary: string;
      cases: { signal: { offset: number; length: number }; expected: { offset: number; length: number } }[];
    };
    expect(resample.binary).toBe('resample.bin');
    expect(resample.cases.length).toBe(18);
    const binary = await reader.read('resample.bin');
    for (const c of resample.cases) {
      expect(c.signal.offset + 4 * c.signal.length).toBeLessThanOrEqual(binary.byteLength);
      expect(c.expected.offset % 8).toBe(0);
      expect(c.expected.offset + 8 * c.expected.length).toBeLessThanOrEqual(binary.byteLength);
    }
  });

  it('reads plain file names only, and names the file it cannot read', async () => {
    const reader = directoryFixtureReader(goldenFixturesDirectory);
    for (const bad of ['../package.json', 'a/b.json', '.hidden', '', '/etc/passwd']) {
      await expect(reader.read(bad)).rejects.toThrow(/not a plain file name/);
    }
    await expect(reader.read('missing.json')).rejects.toThrow(join(goldenFixturesDirectory, 'missing.json'));
  });
});

describe('urlFixtureReader', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const name = (req.url ?? '').replace(/^\/golden\//, '');
      if (!(GOLDEN_FIXTURE_FILES as readonly string[]).includes(name)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200).end(readFileSync(join(goldenFixturesDirectory, name)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('fetches the same bytes as the files on disk (base with or without the final slash)', async () => {
    for (const base of [`${origin}/golden/`, `${origin}/golden`]) {
      const reader = urlFixtureReader(base);
      for (const name of GOLDEN_FIXTURE_FILES) {
        const fetched = await reader.read(name);
        const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
        expect(sha(fetched)).toBe(sha(readFileSync(join(goldenFixturesDirectory, name))));
      }
    }
  });

  it('rejects with the URL and status when the server has no such file', async () => {
    await expect(urlFixtureReader(`${origin}/golden/`).read('absent.bin')).rejects.toThrow(
      `GET ${origin}/golden/absent.bin answered 404`,
    );
    await expect(urlFixtureReader(`${origin}/golden/`).read('../index.json')).rejects.toThrow(
      /plain file name/,
    );
  });
});

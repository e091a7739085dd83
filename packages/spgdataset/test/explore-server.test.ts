// The explore server over the bundled samples/basic data, built first with the real CLI: its answers
// against the library (openSpectrogramDataset) as the oracle, path traversal, and read-only rules.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audioDecodeDecoder } from '@spgdataset/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import type { FileResponse, ItemResponse, ItemsResponse, SummaryResponse } from '../src/explore/explore-api';
import { type OpenedExploreSources, openExploreSources } from '../src/explore/open-explore-sources';
import { type ExploreServer, startExploreServer } from '../src/explore/start-explore-server';
import { openSpectrogramDataset, type SpectrogramDataset } from '../src/index';
import { metadataPath, samples, samplesFlags, samplesMetadata } from './basic-samples';

const metadata = samplesMetadata<{
  intervals: Record<string, [number, number][]>;
  metadata: Record<string, string>;
}>();
const work = mkdtempSync(join(tmpdir(), 'spg-explore-'));
const cache = join(work, 'cache');
const index = join(work, 'index');
// A page folder, and a file beside it that no request may reach.
const pageRoot = join(work, 'site', 'page');
const secret = join(work, 'site', 'secret.txt');

const flags = samplesFlags(
  cache,
  index,
  '--label',
  'kind',
  '--masks',
  'speech,noise',
  '--meta',
  'gender',
  '--window-content-ratio',
  '0',
);
const options = {
  audioRoot: samples,
  metadataJsonPath: metadataPath,
  spectrogramsRoot: cache,
  indexRoot: index,
  split: [0.5, 0.25, 0.25],
  windowContentRatio: 0,
  outputConfiguration: { masks: ['speech', 'noise'], meta: ['gender'], label: 'kind' },
};
const quiet = { info: () => {}, warn: () => {} };

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd: work,
  });
  return { code, stdout, stderr };
}

/** A raw request: the path goes out exactly as given (no URL normalisation). */
function raw(path: string, init: { method?: string; host?: string } = {}) {
  return new Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path,
          method: init.method ?? 'GET',
          headers: init.host ? { host: init.host } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, body: Buffer.concat(chunks), headers: res.headers }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

async function json<T>(path: string): Promise<T> {
  const answer = await raw(path);
  expect(answer.status, path).toBe(200);
  return JSON.parse(answer.body.toString('utf8')) as T;
}

let sources: OpenedExploreSources;
let server: ExploreServer;
let oracle: SpectrogramDataset;
/** Every item of the oracle in the server's order: [split, index in split]. */
const order: [number, number][] = [];

beforeAll(async () => {
  mkdirSync(join(pageRoot, 'assets'), { recursive: true });
  writeFileSync(join(pageRoot, 'index.html'), '<!doctype html><title>page</title>');
  writeFileSync(join(pageRoot, 'assets', 'app.js'), 'export {};');
  writeFileSync(secret, 'secret');
  symlinkSync(secret, join(pageRoot, 'linked.txt'));

  // explore before build: refused, and nothing is written
  const early = await run(['explore', ...flags, '--port', '0']);
  expect(early.code).toBe(1);
  expect(early.stderr).toContain('explore shows a built dataset and builds nothing');
  expect(early.stderr).toContain(`spgdataset build ${flags.join(' ')}`);
  expect(existsSync(index) ? readdirSync(index) : []).toEqual([]);
  expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);

  const built = await run(['build', ...flags]);
  expect(built.code, built.stderr).toBe(0);
  sources = await openExploreSources(options, undefined, (o) => openSpectrogramDataset(o as never));
  server = await startExploreServer({ sources, pageRoot, port: 0 });
  oracle = await openSpectrogramDataset({ ...options, logger: quiet });
  const parts = oracle.report().splitItems;
  parts.forEach((n, k) => {
    for (let i = 0; i < n; i++) order.push([k, i]);
  });
});

afterAll(async () => {
  await server?.close();
  sources?.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('explore server', () => {
  it('answers the summary with the dataset report counts', async () => {
    const s = await json<SummaryResponse>('/api/summary');
    const report = oracle.report();
    expect(s.files).toBe(8);
    expect(s.splits.map((p) => p.items)).toEqual(report.splitItems);
    expect(s.items).toBe(report.items);
    expect(s.classes.map((c) => c.name)).toEqual(['noise', 'speech']);
    expect(s.nonAudio).toEqual(['README.txt', 'metadata.json']);
    expect(s.contentRatios.counts.reduce((a, b) => a + b, 0)).toBe(report.items);
    expect(s.durations.counts.reduce((a, b) => a + b, 0)).toBe(8);
    const genders = [...new Set(Object.values(metadata).map((e) => e.metadata.gender))].sort();
    expect(genders.length).toBeGreaterThan(1);
    expect(s.metaFields.find((f) => f.name === 'gender')?.values).toEqual(genders);
    expect(s.annotationNames).toEqual(['noise', 'speech']);
  });

  it('lists every item in the dataset order, a page at a time', async () => {
    const all = await json<ItemsResponse>('/api/items?offset=0&limit=1000');
    expect(all.total).toBe(order.length);
    all.rows.forEach((row, g) => {
      const [k, i] = order[g]!;
      oracle.setMode(k);
      const at = oracle.locate(i);
      expect([row.id, row.split, row.index, row.path, row.window, row.startSample]).toEqual([
        g,
        k,
        i,
        at.path,
        at.window,
        at.startSample,
      ]);
      expect(row.contentRatio).toBe(at.contentRatio);
    });
    const page = await json<ItemsResponse>('/api/items?offset=30&limit=7');
    expect(page.rows.map((r) => r.id)).toEqual([30, 31, 32, 33, 34, 35, 36]);
  });

  it('filters by split, class, path and metadata, alone and together', async () => {
    const rows = (await json<ItemsResponse>('/api/items?limit=1000')).rows;
    const cases: [string, (r: (typeof rows)[number]) => boolean][] = [
      ['split=2', (r) => r.split === 2],
      ['label=0', (r) => r.label === 'noise'],
      ['path=F01', (r) => r.path.includes('f01')],
      ['meta.gender=m', (r) => r.meta.gender === 'm'],
      [
        'split=0&label=1&meta.gender=f&path=tones',
        (r) => r.split === 0 && r.label === 'speech' && r.meta.gender === 'f' && r.path.includes('tones'),
      ],
      ['meta.gender=nobody', () => false],
    ];
    for (const [query, keep] of cases) {
      const answer = await json<ItemsResponse>(`/api/items?limit=1000&${query}`);
      const expected = rows.filter(keep).map((r) => r.id);
      expect(
        answer.rows.map((r) => r.id),
        query,
      ).toEqual(expected);
      expect(answer.total, query).toBe(expected.length);
    }
    expect(rows.filter((r) => r.split === 2).length).toBeGreaterThan(0);
  });

  it('serves an item as the library gives it: masks, label, meta and the float32 spectrogram', async () => {
    for (const id of [0, 5, order.length - 1]) {
      const [k, i] = order[id]!;
      oracle.setMode(k);
      const expected = await oracle.get(i);
      const item = await json<ItemResponse>(`/api/item/${id}`);
      expect(item.shape).toEqual(expected.spectrogram!.shape);
      expect(item.masks.speech).toEqual(Array.from(expected.masks!.speech!.data));
      expect(item.masks.noise).toEqual(Array.from(expected.masks!.noise!.data));
      expect(item.labelIndex).toBe(expected.label);
      expect(item.itemMeta).toEqual(expected.meta);
      const bytes = await raw(`/api/item/${id}/spectrogram`);
      expect(bytes.headers['x-shape']).toBe(expected.spectrogram!.shape.join(','));
      const data = new Float32Array(
        bytes.body.buffer.slice(bytes.body.byteOffset, bytes.body.byteOffset + bytes.body.byteLength),
      );
      expect(data).toEqual(expected.spectrogram!.data);
    }
  });

  it("plays the window's samples as 16-bit WAV", async () => {
    const withAudio = await openSpectrogramDataset({
      ...options,
      outputConfiguration: { ...options.outputConfiguration, audio: true, spectrogram: false },
      logger: quiet,
    });
    const id = 12;
    const [k, i] = order[id]!;
    withAudio.setMode(k);
    const expected = (await withAudio.get(i)).audio!;
    const wav = await raw(`/api/audio/${id}.wav`);
    expect(wav.status).toBe(200);
    expect(wav.headers['content-type']).toBe('audio/wav');
    const decoded = await audioDecodeDecoder().decode(new Uint8Array(wav.body), { path: 'x.wav' });
    expect(decoded.sampleRate).toBe(16000);
    const samples = decoded.channelData[0]!;
    expect(samples.length).toBe(expected.data.length);
    let worst = 0;
    for (let j = 0; j < samples.length; j++)
      worst = Math.max(worst, Math.abs(samples[j]! - expected.data[j]!));
    expect(worst).toBeLessThanOrEqual(1 / 32767);
    expect(expected.data.some((x) => Math.abs(x) > 0.01)).toBe(true);
  });

  it("shows a file's kept windows with their items and metadata.json's intervals", async () => {
    const path = 'speech/f01_gaps.wav';
    const file = await json<FileResponse>(`/api/file?path=${encodeURIComponent(path)}`);
    expect(file.intervals).toEqual(metadata[path]!.intervals);
    const expected: [number, number][] = [];
    order.forEach(([k, i], g) => {
      oracle.setMode(k);
      const at = oracle.locate(i);
      if (at.path === path) expected.push([at.window, g]);
    });
    expected.sort((a, b) => a[0] - b[0]);
    expect(file.windows.map((w) => [w.window, w.id])).toEqual(expected);
    expect(file.windowCount).toBe(expected.length); // ratio 0 keeps every window
  });

  it('never serves a file outside the page folder: .., encoded, absolute, backslashes, symlinks -> 404', async () => {
    expect((await raw('/')).status).toBe(200);
    expect((await raw('/index.html')).status).toBe(200);
    expect((await raw('/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/%252e%252e/secret.txt',
      `/${secret}`,
      `/${encodeURIComponent(secret)}`,
      `//${secret.slice(1)}`,
      '/C:%5CWindows%5Cwin.ini',
      '/linked.txt',
      '/index.html%00.txt',
      '/%',
      `/api/file?path=${encodeURIComponent('../secret.txt')}`,
      `/api/file?path=${encodeURIComponent(secret)}`,
      `/api/file?path=${encodeURIComponent('speech/../speech/f01_gaps.wav')}`,
      '/api/../../secret.txt',
      '/api/item/999999',
      '/api/audio/999999.wav',
      '/api/nothing',
    ];
    for (const path of attempts) {
      const answer = await raw(path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.toString()).not.toContain('secret');
    }
  });

  it('is read-only and answers only to this machine by default', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const answer = await raw('/api/summary', { method });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
    }
    expect((await raw('/api/summary', { host: 'evil.example:80' })).status).toBe(403);
    expect((await raw('/api/summary', { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await raw('/api/items?offset=x')).status).toBe(400);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });
});

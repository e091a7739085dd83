// Streaming shards from a real HTTP server (node:http on 127.0.0.1, a free port) that can fail on
// purpose: 5xx answers, connections reset mid-body, missing and truncated files.
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SpectrogramDataset } from '../src/dataset/spectrogram-dataset';
import {
  httpShardSource,
  openShardedDataset,
  type ShardItem,
  SpgShardError,
  sampleKey,
  shardLocation,
} from '../src/index';
import { exportShards, nodeShardSource } from '../src/node';
import { itemFacts, shardTestDataset, tempDir } from './shard-fakes';

type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'reset'; after: number }
  | { kind: 'truncate'; to: number; chunked?: boolean }
  | { kind: 'flip'; at: number };

let ds: SpectrogramDataset;
const work = tempDir('http');
const dir = join(work, 'export');
let server: Server;
let origin: string;
/** Faults per request path, used up one per request; a truncate or flip fault stays. */
const faults = new Map<string, Fault[]>();
const requests = new Map<string, number>();

beforeAll(async () => {
  ds = await shardTestDataset({ audio: true });
  await exportShards(ds, { dir, maxItemsPerShard: 6, fsync: false });
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const name = path.slice(1);
    if (!/^[\w.-]+$/.test(name)) return void res.writeHead(400).end();
    let body: Buffer;
    try {
      body = readFileSync(join(dir, name));
    } catch {
      return void res.writeHead(404).end();
    }
    const queue = faults.get(path) ?? [];
    const fault = queue[0];
    if (fault && (fault.kind === 'status' || fault.kind === 'reset')) queue.shift();
    if (fault?.kind === 'status') return void res.writeHead(fault.status).end();
    if (fault?.kind === 'truncate') {
      body = body.subarray(0, fault.to);
      if (fault.chunked) {
        res.writeHead(200, { 'content-type': 'application/x-tar' });
        return void res.end(body);
      }
    }
    if (fault?.kind === 'flip') {
      body = Buffer.from(body);
      body[fault.at]! ^= 0x10;
    }
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/x-tar' });
    if (fault?.kind === 'reset') {
      // Send part of the body, then drop the connection.
      res.write(body.subarray(0, fault.after), () => setTimeout(() => res.destroy(), 5));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  faults.clear();
  requests.clear();
});

const fast = httpShardSource({ backoffMs: 5 });
const openHttp = (options: Record<string, unknown> = {}) =>
  openShardedDataset({ manifest: `${origin}/manifest.json`, source: fast, ...options });

async function read(shards: AsyncIterable<ShardItem>) {
  const out: { key: string; facts: Record<string, unknown> }[] = [];
  for await (const item of shards) {
    const { key, location: _l, ...rest } = item;
    out.push({ key, facts: itemFacts(rest) });
  }
  return out;
}

async function shardError(run: () => Promise<unknown>): Promise<SpgShardError> {
  try {
    await run();
  } catch (error) {
    if (SpgShardError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an SpgShardError, got none');
}

describe('shards over HTTP', () => {
  it('give exactly what the local files give (two ranks, shuffled)', async () => {
    const options = { rank: 1, worldSize: 2, shuffle: { buffer: 7, seed: 4 } };
    const overHttp = await read(await openHttp(options));
    const local = await read(
      await openShardedDataset({
        manifest: join(dir, 'manifest.json'),
        source: nodeShardSource(),
        ...options,
      }),
    );
    expect(overHttp.length).toBeGreaterThan(20);
    expect(overHttp).toEqual(local);
  });

  it('retry 5xx answers with backoff, and give up after the retries with SPG_SHARD_READ_FAILED', async () => {
    faults.set('/shard-000002.tar', [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 502 },
    ]);
    const items = await read(await openHttp());
    expect(items.length).toBe(ds.length);
    expect(requests.get('/shard-000002.tar')).toBe(3);

    faults.set('/shard-000001.tar', [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
    ]);
    const error = await shardError(async () =>
      read(
        await openShardedDataset({
          manifest: `${origin}/manifest.json`,
          source: httpShardSource({ retries: 1, backoffMs: 5 }),
        }),
      ),
    );
    expect(error.code).toBe('SPG_SHARD_READ_FAILED');
    expect(error.url).toBe(`${origin}/shard-000001.tar`);
    expect(error.message).toMatch(/503.*after 2 attempts/);
  });

  it('a connection reset mid-shard restarts the request and skips what was already read', async () => {
    faults.set('/shard-000003.tar', [{ kind: 'reset', after: 70_000 }]);
    const items = await read(await openHttp());
    expect(requests.get('/shard-000003.tar')).toBe(2);
    // Each item equals the dataset's (the skipped prefix was exactly what had been delivered).
    const indexOf = new Map(
      Array.from({ length: ds.length }, (_, i) => [sampleKey(shardLocation(ds.locate(i), i)), i] as const),
    );
    expect(items.length).toBe(ds.length);
    for (const { key, facts } of items) expect(facts).toEqual(itemFacts(await ds.get(indexOf.get(key)!)));
  });

  it('a location that is not a URL fails at once, pointing to nodeShardSource', async () => {
    const started = performance.now();
    const error = await shardError(() =>
      openShardedDataset({ manifest: 'shards/manifest.json', source: httpShardSource() }),
    );
    expect(error.code).toBe('SPG_SHARD_READ_FAILED');
    expect(error.message).toMatch(/not a URL.*nodeShardSource/);
    expect(performance.now() - started).toBeLessThan(200); // no retries with backoff
  });

  it('a 404 fails at once, naming the shard', async () => {
    const error = await shardError(async () =>
      read(
        await openShardedDataset({
          manifest: `${origin}/manifest.json`,
          urls: Array.from({ length: 10 }, (_, i) => `${origin}/nope-${i}.tar`),
          source: fast,
        }),
      ),
    );
    expect(error).toMatchObject({ code: 'SPG_SHARD_READ_FAILED', url: `${origin}/nope-0.tar` });
    expect(error.message).toMatch(/404/);
    expect(requests.get('/nope-0.tar')).toBe(1);
  });

  it('a truncated shard is SPG_SHARD_TRUNCATED, from Content-Length or from the tar stream', async () => {
    faults.set('/shard-000004.tar', [{ kind: 'truncate', to: 40_000 }]);
    const byLength = await shardError(async () => read(await openHttp()));
    expect(byLength).toMatchObject({
      code: 'SPG_SHARD_TRUNCATED',
      url: `${origin}/shard-000004.tar`,
      offset: 40_000,
    });

    faults.set('/shard-000004.tar', [{ kind: 'truncate', to: 40_000, chunked: true }]);
    const byStream = await shardError(async () => read(await openHttp()));
    expect(byStream.code).toBe('SPG_SHARD_TRUNCATED');
    expect(byStream.url).toBe(`${origin}/shard-000004.tar`);
    expect(byStream.offset).toBeLessThanOrEqual(40_000);
  });

  it('a changed byte in transit fails the sample check, naming the URL', async () => {
    faults.set('/shard-000000.tar', [{ kind: 'flip', at: 512 + 128 + 40 }]);
    const error = await shardError(async () => read(await openHttp()));
    expect(error).toMatchObject({ code: 'SPG_SHARD_CORRUPT', url: `${origin}/shard-000000.tar`, offset: 0 });
    expect(error.message).toMatch(/sha256/);
  });
});

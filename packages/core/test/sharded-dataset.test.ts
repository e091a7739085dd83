// Shards written by exportShards and streamed back by openShardedDataset (local files): exact round
// trip, the share-out over ranks end to end, exact resume, and damaged or mismatched shards.
import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectrogramDataset } from '../src/dataset/spectrogram-dataset';
import {
  defaultCollate,
  type OpenShardedDatasetOptions,
  openShardedDataset,
  type ShardItem,
  type ShardManifest,
  type ShardSource,
  SpgConfigError,
  SpgShardError,
  sampleKey,
  shardLocation,
  shuffledIndices,
  TarParser,
} from '../src/index';
import { exportShards, nodeShardSource } from '../src/node';
import { itemFacts, shardTestDataset, tempDir } from './shard-fakes';

let ds: SpectrogramDataset;
const work = tempDir('sharded');
/** Item index of each sample key. */
const indexOf = new Map<string, number>();
const dirs: Record<string, string> = {};

beforeAll(async () => {
  ds = await shardTestDataset({ audio: true });
  for (let i = 0; i < ds.length; i++) indexOf.set(sampleKey(shardLocation(ds.locate(i), i)), i);
  // 55 items: 14 shards of <= 4 (more shards than 8 ranks), 3 of <= 20 (fewer than 8, more than 2).
  for (const size of [4, 20]) {
    dirs[size] = join(work, `max-${size}`);
    await exportShards(ds, { dir: dirs[size]!, maxItemsPerShard: size, fsync: false });
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const open = (dir: string, options: Partial<OpenShardedDatasetOptions> = {}) =>
  openShardedDataset({ manifest: join(dir, 'manifest.json'), source: nodeShardSource(), ...options });

async function keysOf(iterable: AsyncIterable<ShardItem>): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of iterable) keys.push(item.key);
  return keys;
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

describe('round trip', () => {
  it('every item read back equals dataset.get(i) (tensor bytes, label, meta), in dataset order', async () => {
    const shards = await open(dirs[4]!);
    expect(shards.manifest.shards.length).toBe(14);
    expect(shards.manifest.items).toBe(ds.length);
    expect(shards.classes).toEqual(ds.classes);
    const order: number[] = [];
    for await (const item of shards) {
      const i = indexOf.get(item.key)!;
      order.push(i);
      const { key: _key, location, ...rest } = item;
      expect(location).toEqual(ds.locate(i));
      expect(itemFacts(rest)).toEqual(itemFacts(await ds.get(i)));
    }
    expect(order).toEqual(Array.from({ length: ds.length }, (_, i) => i));
  });

  it('shuffleSeed writes a seeded order; batches collate like the DataLoader', async () => {
    const dir = join(work, 'shuffled');
    await exportShards(ds, { dir, maxItemsPerShard: 16, shuffleSeed: 5, fsync: false });
    const shards = await open(dir);
    const keys = await keysOf(shards);
    expect(keys.map((k) => indexOf.get(k))).toEqual(Array.from(shuffledIndices(ds.length, 5, 0)));
    const batches = [];
    for await (const batch of shards.batches(16)) batches.push(batch);
    expect(batches.map((b) => b.spectrogram!.shape)).toEqual([
      [16, 1, 4, 32],
      [16, 1, 4, 32],
      [16, 1, 4, 32],
      [7, 1, 4, 32],
    ]);
    const first = await ds.get(indexOf.get(keys[0]!)!);
    expect(batches[0]!.spectrogram!.data.subarray(0, 128)).toEqual(first.spectrogram!.data);
    expect(batches[0]!.masks!.speech!.data.subarray(0, 32)).toEqual(first.masks!.speech!.data);
    expect(batches[0]!.label![0]).toBe(first.label);
    expect(batches[0]!.meta!.speaker![0]).toBe(first.meta!.speaker);
  });

  it('batches (whose buffers are recycled) hold exactly the items the iterator gives, in order', async () => {
    const options = { shuffle: { buffer: 12, seed: 8 }, worldSize: 2, rank: 0 } as const;
    const items: ShardItem[] = [];
    for await (const item of await open(dirs[4]!, options)) items.push(item);
    let at = 0;
    for await (const batch of (await open(dirs[4]!, options)).batches(7)) {
      const n = batch.label!.length;
      const expected = defaultCollate(items.slice(at, at + n));
      expect(batch.spectrogram).toEqual(expected.spectrogram);
      expect(batch.audio).toEqual(expected.audio);
      expect(batch.masks).toEqual(expected.masks);
      expect(batch.label).toEqual(expected.label);
      expect(batch.meta).toEqual(expected.meta);
      at += n;
    }
    expect(at).toBe(items.length);
  });
});

describe('ranks', () => {
  for (const size of [4, 20])
    for (const worldSize of [1, 2, 3, 8])
      for (const pad of ['repeat', 'drop'] as const)
        it(`${size === 4 ? '14 shards' : '3 shards'}, worldSize ${worldSize}, pad ${pad}: equal batches, the union is the dataset`, async () => {
          for (const epoch of [0, 1]) {
            const perRank: string[][] = [];
            const batchCounts: number[] = [];
            for (let rank = 0; rank < worldSize; rank++) {
              const shards = await open(dirs[size]!, {
                rank,
                worldSize,
                pad,
                epoch,
                shuffle: { buffer: 8, seed: 3 },
              });
              const keys: string[] = [];
              let batches = 0;
              for await (const batch of shards.batches(3, {
                collate: (items) => items.map((item) => item.key as string),
              })) {
                keys.push(...(batch as string[]));
                batches++;
              }
              expect(keys.length).toBe(shards.length);
              expect(batches).toBe(shards.batchCount(3));
              perRank.push(keys);
              batchCounts.push(batches);
            }
            expect(new Set(batchCounts).size).toBe(1);
            expect(new Set(perRank.map((k) => k.length)).size).toBe(1);
            const all = perRank.flat();
            const distinct = new Set(all);
            for (const key of all) expect(indexOf.has(key)).toBe(true);
            if (pad === 'drop') expect(distinct.size).toBe(all.length);
            else expect(distinct.size).toBe(ds.length);
            if (worldSize === 1) expect(distinct.size).toBe(ds.length);
            // Deterministic: rank 0 again gives the same sequence.
            const again = await open(dirs[size]!, {
              rank: 0,
              worldSize,
              pad,
              epoch,
              shuffle: { buffer: 8, seed: 3 },
            });
            expect(await keysOf(again)).toEqual(perRank[0]);
          }
        });

  it('loader workers split a rank further, and the epoch changes the order', async () => {
    const keys = [];
    for (let workerId = 0; workerId < 2; workerId++) {
      const shards = await open(dirs[4]!, { rank: 1, worldSize: 2, workerId, numWorkers: 2, pad: 'drop' });
      keys.push(await keysOf(shards));
    }
    expect(keys[0]!.length).toBe(keys[1]!.length);
    expect(new Set(keys.flat()).size).toBe(keys.flat().length);
    const e0 = await keysOf(await open(dirs[4]!, { shuffle: { buffer: 8, seed: 1 }, epoch: 0 }));
    const e1 = await keysOf(await open(dirs[4]!, { shuffle: { buffer: 8, seed: 1 }, epoch: 1 }));
    expect(e0).not.toEqual(e1);
    expect([...e0].sort()).toEqual([...e1].sort());
  });

  it('an iteration runs one epoch and the next iteration starts the next epoch', async () => {
    const shards = await open(dirs[4]!, { shuffle: { buffer: 8, seed: 1 } });
    const e0 = await keysOf(shards);
    expect(shards.epoch).toBe(1);
    const e1 = await keysOf(shards);
    expect(e1).toEqual(await keysOf(await open(dirs[4]!, { shuffle: { buffer: 8, seed: 1 }, epoch: 1 })));
    expect(e1).not.toEqual(e0);
  });
});

describe('resume', () => {
  it('state() after any item, given to a fresh reader, continues without repeats or skips', async () => {
    const options = { rank: 1, worldSize: 2, shuffle: { buffer: 10, seed: 9 }, epoch: 2 } as const;
    const full = await keysOf(await open(dirs[4]!, options));
    for (const stop of [0, 1, 5, 13, 20, full.length - 1, full.length]) {
      const first = await open(dirs[4]!, options);
      const head: string[] = [];
      if (stop > 0)
        for await (const item of first) {
          head.push(item.key);
          if (head.length === stop) break;
        }
      const state = JSON.parse(JSON.stringify(first.state()));
      expect(state).toMatchObject(
        stop === full.length ? { epoch: 3, consumed: 0 } : { epoch: 2, consumed: stop },
      );
      const second = await open(dirs[4]!, options);
      second.resume(state);
      const tail = stop === full.length ? [] : await keysOf(second);
      expect([...head, ...tail]).toEqual(full);
    }
  });

  it('resumes between batches', async () => {
    const options = { shuffle: { buffer: 6, seed: 2 } } as const;
    const collate = (items: ShardItem[]) => items.map((i) => i.key);
    const full: string[] = [];
    for await (const batch of (await open(dirs[20]!, options)).batches(5, { collate })) full.push(...batch);
    const first = await open(dirs[20]!, options);
    const head: string[] = [];
    for await (const batch of first.batches(5, { collate })) {
      head.push(...batch);
      if (head.length === 15) break;
    }
    const second = await open(dirs[20]!, options);
    second.resume(first.state());
    const tail: string[] = [];
    for await (const batch of second.batches(5, { collate })) tail.push(...batch);
    expect([...head, ...tail]).toEqual(full);
  });

  it('rejects a state taken with other options', async () => {
    const a = await open(dirs[4]!, { rank: 0, worldSize: 2 });
    const b = await open(dirs[4]!, { rank: 1, worldSize: 2 });
    expect(() => b.resume(a.state())).toThrow(SpgConfigError);
    const c = await open(dirs[20]!, { rank: 0, worldSize: 2 });
    try {
      c.resume(a.state());
      expect.unreachable();
    } catch (error) {
      expect((error as SpgConfigError).issues.map((i) => i.path)).toEqual(['state.manifest']);
    }
  });
});

describe('damaged shards', () => {
  function copyExport(name: string): string {
    const dir = join(work, name);
    rmSync(dir, { recursive: true, force: true });
    cpSync(dirs[20]!, dir, { recursive: true });
    return dir;
  }

  /** Header offsets of the members of `shard`, by member name. */
  function memberOffsets(shard: string): Map<string, number> {
    const parser = new TarParser(shard);
    parser.push(new Uint8Array(readFileSync(shard)));
    parser.finish();
    const out = new Map<string, number>();
    for (let m = parser.next(() => false); m; m = parser.next(() => false)) out.set(m.name, m.offset);
    return out;
  }

  const manifestOf = (dir: string) =>
    JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ShardManifest;

  it('a changed tensor byte fails the sample sha256, naming the shard and byte; verify: false does not see it', async () => {
    const dir = copyExport('flipped');
    const shard = join(dir, 'shard-000001.tar');
    const offsets = [...memberOffsets(shard)];
    const [name, offset] = offsets.filter(([n]) => n.endsWith('.spectrogram.npy'))[3]!;
    const bytes = readFileSync(shard);
    bytes[offset + 512 + 128 + 10]! ^= 0x40; // inside the float data, after the tar and npy headers
    writeFileSync(shard, bytes);
    const error = await shardError(async () => keysOf(await open(dir)));
    expect(error.code).toBe('SPG_SHARD_CORRUPT');
    expect(error.url).toBe(shard);
    expect(error.offset).toBe(offset);
    expect(error.message).toContain(name.split('.')[0]);
    expect(error.message).toMatch(/sha256/);
    // The same bytes without the check: the item comes out silently different.
    let differs = 0;
    for await (const item of await open(dir, { verify: false })) {
      const { key: _k, location: _l, ...rest } = item;
      if (JSON.stringify(itemFacts(rest)) !== JSON.stringify(itemFacts(await ds.get(indexOf.get(item.key)!))))
        differs++;
    }
    expect(differs).toBe(1);
  });

  it('a changed header byte fails the tar checksum at that header', async () => {
    const dir = copyExport('header');
    const shard = join(dir, 'shard-000002.tar');
    const [, offset] = [...memberOffsets(shard)][7]!;
    const bytes = readFileSync(shard);
    bytes[offset + 2]! ^= 0x01; // in the member name
    writeFileSync(shard, bytes);
    const error = await shardError(async () => keysOf(await open(dir)));
    expect(error).toMatchObject({ code: 'SPG_SHARD_CORRUPT', url: shard, offset });
    expect(error.message).toMatch(/checksum/);
  });

  it('a truncated shard is SPG_SHARD_TRUNCATED: from the file size, or from the tar stream when the size is unknown', async () => {
    const dir = copyExport('truncated');
    const shard = join(dir, 'shard-000000.tar');
    const size = manifestOf(dir).shards[0]!.bytes;
    truncateSync(shard, size - 3000);
    const bySize = await shardError(async () => keysOf(await open(dir)));
    expect(bySize).toMatchObject({ code: 'SPG_SHARD_TRUNCATED', url: shard, offset: size - 3000 });
    const files = nodeShardSource();
    const sizeBlind: ShardSource = { open: (location) => files.open(location) };
    const byStream = await shardError(async () => keysOf(await open(dir, { source: sizeBlind })));
    expect(byStream.code).toBe('SPG_SHARD_TRUNCATED');
    expect(byStream.url).toBe(shard);
    expect(byStream.offset).toBeLessThanOrEqual(size - 3000);
  });

  it('tensor shapes and sample counts are checked against the manifest', async () => {
    const manifest = manifestOf(dirs[20]!);
    const wrongShape = { ...manifest, tensors: { ...manifest.tensors, 'spectrogram.npy': [4, 33] } };
    const shape = await shardError(async () =>
      keysOf(await open(dirs[20]!, { manifest: wrongShape, baseUrl: `${dirs[20]}/` })),
    );
    expect(shape.code).toBe('SPG_SHARD_CORRUPT');
    expect(shape.message).toMatch(/shape \(4, 32\), the manifest says \(4, 33\)/);

    // The manifest claims one sample less for shard 0 (and its size without it): reading shard 0 to
    // its end finds the extra sample.
    const fewer = structuredClone(manifest);
    fewer.shards[0]!.items -= 1;
    fewer.items -= 1;
    for (const s of fewer.shards.slice(1)) s.firstItem -= 1;
    const count = await shardError(async () =>
      keysOf(
        await open(dirs[20]!, {
          manifest: fewer,
          baseUrl: `${dirs[20]}/`,
          source: { open: (l) => nodeShardSource().open(l) },
        }),
      ),
    );
    expect(count.code).toBe('SPG_SHARD_CORRUPT');
    expect(count.message).toMatch(/holds 20 samples; the manifest says 19/);
  });

  it('a missing shard, a missing manifest and an invalid manifest are named errors', async () => {
    const dir = copyExport('missing');
    rmSync(join(dir, 'shard-000001.tar'));
    const missing = await shardError(async () => keysOf(await open(dir)));
    expect(missing).toMatchObject({ code: 'SPG_SHARD_READ_FAILED', url: join(dir, 'shard-000001.tar') });
    const noManifest = await shardError(() => open(join(work, 'nowhere')));
    expect(noManifest.code).toBe('SPG_SHARD_READ_FAILED');
    writeFileSync(join(dir, 'manifest.json'), '{"format":"spgdataset-webdataset","version":2}');
    const invalid = await shardError(() => open(dir));
    expect(invalid.code).toBe('SPG_SHARD_MANIFEST_INVALID');
    expect(invalid.message).toMatch(/version/);
    writeFileSync(join(dir, 'manifest.json'), 'not json');
    expect((await shardError(() => open(dir))).code).toBe('SPG_SHARD_MANIFEST_INVALID');
  });

  it('an export without items streams nothing on every rank and moves on to the next epoch', async () => {
    const empty = { ...manifestOf(dirs[4]!), items: 0, tensors: {}, shards: [] };
    for (const rank of [0, 1, 2]) {
      const shards = await openShardedDataset({ manifest: empty, rank, worldSize: 3 });
      expect(shards.length).toBe(0);
      expect(await keysOf(shards)).toEqual([]);
      expect(shards.epoch).toBe(1);
    }
  });

  it('rejects bad options in one SpgConfigError', async () => {
    await expect(open(dirs[4]!, { rank: 2, worldSize: 2, pad: 'pad' as never })).rejects.toMatchObject({
      code: 'SPG_CONFIG_SHARDS',
      issues: [{ path: 'rank' }, { path: 'pad' }],
    });
  });
});

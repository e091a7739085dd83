// exportShards: shard limits, progress, and resuming: an interrupted export goes on from its last
// finished shard and ends byte-identical to an uninterrupted one; damaged shards are rewritten; a
// folder holding another export is not overwritten unless asked.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectrogramDataset } from '../src/dataset/spectrogram-dataset';
import {
  type ProgressEvent,
  type ShardManifest,
  SpgConfigError,
  SpgShardError,
  spgErrorFromJSON,
  tarHeader,
  tensorFields,
} from '../src/index';
import { exportShards } from '../src/node';
import { shardTestDataset, tempDir } from './shard-fakes';

let ds: SpectrogramDataset;
const work = tempDir('export');
let reference: ShardManifest;
const referenceDir = join(work, 'reference');

beforeAll(async () => {
  ds = await shardTestDataset();
  reference = (await exportShards(ds, { dir: referenceDir, maxItemsPerShard: 8, fsync: false })).manifest;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const shardFiles = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.tar'))
    .sort();
const bytesOf = (dir: string) =>
  Object.fromEntries(shardFiles(dir).map((n) => [n, readFileSync(join(dir, n))]));

/** Runs an export that fails (as a crash would) after `items` samples. */
async function interrupted(dir: string, items: number) {
  const crash = new Error('simulated crash');
  await expect(
    exportShards(ds, {
      dir,
      maxItemsPerShard: 8,
      fsync: false,
      onProgress: (e) => {
        if (e.done === items && e.path) throw crash;
      },
    }),
  ).rejects.toBe(crash);
}

describe('SpgShardError', () => {
  it('survives toJSON / spgErrorFromJSON (worker boundaries) with its class, code, url and offset', () => {
    const error = new SpgShardError('SPG_SHARD_TRUNCATED', 'Shard x.tar is truncated at byte 9', {
      url: 'x.tar',
      offset: 9,
    });
    const back = spgErrorFromJSON(JSON.parse(JSON.stringify(error.toJSON())));
    expect(SpgShardError.isInstance(back)).toBe(true);
    expect(back).toMatchObject({
      code: 'SPG_SHARD_TRUNCATED',
      url: 'x.tar',
      offset: 9,
      message: error.message,
    });
  });
});

describe('exportShards', () => {
  it('writes 8-item shards, a manifest that adds up, and reports progress to the total', async () => {
    expect(reference.items).toBe(55);
    expect(reference.shards.map((s) => s.items)).toEqual([8, 8, 8, 8, 8, 8, 7]);
    expect(shardFiles(referenceDir)).toEqual(reference.shards.map((s) => s.name));
    for (const s of reference.shards) expect(statSync(join(referenceDir, s.name)).size).toBe(s.bytes);
    expect(reference.featureFingerprint).toBe(ds.featureFingerprint);
    expect(reference.indexFingerprint).toBe(ds.indexFingerprint);
    expect(reference.extractor).toBe('test/stft-energy');
    expect(reference.classes).toEqual(['f', 'm', 'x']);
    expect(reference.tensors).toEqual({
      'spectrogram.npy': [4, 32],
      'mask_speech.npy': [32],
      'mask_noise.npy': [32],
    });
    const events: ProgressEvent[] = [];
    await exportShards(ds, {
      dir: join(work, 'progress'),
      maxItemsPerShard: 8,
      fsync: false,
      onProgress: (e) => events.push(e),
    });
    expect(events.every((e) => e.phase === 'export' && e.total === 55)).toBe(true);
    expect(events.at(-1)!.done).toBe(55);
    expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
  });

  it('maxBytesPerShard: no shard passes the limit, and each holds as many samples as fit', async () => {
    const dir = join(work, 'bytes');
    const limit = 20_000;
    const { manifest } = await exportShards(ds, { dir, maxBytesPerShard: limit, fsync: false });
    expect(manifest.shards.length).toBeGreaterThan(3);
    const sample = (manifest.shards[0]!.bytes - 1024) / manifest.shards[0]!.items;
    for (const s of manifest.shards) {
      expect(s.bytes).toBeLessThanOrEqual(limit);
      // Not closed early: one more sample (about `sample` bytes) would not have fitted.
      if (s !== manifest.shards.at(-1)) expect(s.bytes + sample).toBeGreaterThan(limit - 200);
    }
  });

  it('after a crash, a rerun keeps the finished shards, drops stray temporary files and ends identical', async () => {
    const dir = join(work, 'resume');
    await interrupted(dir, 21); // in shard 2 (items 16..23)
    expect(shardFiles(dir)).toEqual(['shard-000000.tar', 'shard-000001.tar']);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
    // A process killed mid-shard leaves its temporary file behind.
    writeFileSync(join(dir, '.shard-000002.tar.424242.tmp'), 'partial');
    const result = await exportShards(ds, { dir, maxItemsPerShard: 8, fsync: false });
    expect({ kept: result.keptShards, written: result.writtenShards }).toEqual({ kept: 2, written: 5 });
    expect(result.manifest).toEqual(reference);
    expect(bytesOf(dir)).toEqual(bytesOf(referenceDir));
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', ...reference.shards.map((s) => s.name)].sort());
  });

  it('a finished shard damaged before the rerun is written again, with those after it', async () => {
    const dir = join(work, 'damaged');
    await interrupted(dir, 35); // shards 0-3 finished
    const bytes = readFileSync(join(dir, 'shard-000001.tar'));
    bytes[5000]! ^= 1;
    writeFileSync(join(dir, 'shard-000001.tar'), bytes);
    const result = await exportShards(ds, { dir, maxItemsPerShard: 8, fsync: false });
    expect({ kept: result.keptShards, written: result.writtenShards }).toEqual({ kept: 1, written: 6 });
    expect(bytesOf(dir)).toEqual(bytesOf(referenceDir));
  });

  it('a finished export is only checked; another export in the folder needs overwrite', async () => {
    const dir = join(work, 'again');
    await exportShards(ds, { dir, maxItemsPerShard: 8, fsync: false });
    const before = statSync(join(dir, 'shard-000003.tar')).mtimeMs;
    const again = await exportShards(ds, { dir, maxItemsPerShard: 8, fsync: false });
    expect({ kept: again.keptShards, written: again.writtenShards }).toEqual({ kept: 7, written: 0 });
    expect(statSync(join(dir, 'shard-000003.tar')).mtimeMs).toBe(before);

    const other = exportShards(ds, { dir, maxItemsPerShard: 20, fsync: false });
    await expect(other).rejects.toBeInstanceOf(SpgConfigError);
    await expect(other).rejects.toThrow(/overwrite/);
    const replaced = await exportShards(ds, { dir, maxItemsPerShard: 20, fsync: false, overwrite: true });
    expect(replaced.manifest.shards.map((s) => s.items)).toEqual([20, 20, 15]);
    expect(shardFiles(dir)).toEqual(['shard-000000.tar', 'shard-000001.tar', 'shard-000002.tar']);
  });

  it('rejects bad options and mask names that would break the member naming', async () => {
    await expect(exportShards(ds, { dir: '', prefix: 'a.b', maxItemsPerShard: 0 })).rejects.toMatchObject({
      code: 'SPG_CONFIG_SHARDS',
      issues: [{ path: 'dir' }, { path: 'prefix' }, { path: 'maxItemsPerShard' }],
    });
    expect(() =>
      tensorFields({ audio: false, spectrogram: true, masks: ['speech.v2'], meta: [], label: null }),
    ).toThrow(/mask "speech.v2" cannot name a shard member/);
    const longest = 'm'.repeat(74);
    const fields = tensorFields({
      audio: false,
      spectrogram: false,
      masks: [longest],
      meta: [],
      label: null,
    });
    expect(() => tarHeader(`${'k'.repeat(16)}.${fields[0]}`, 1)).not.toThrow();
    expect(() =>
      tensorFields({ audio: false, spectrogram: false, masks: [`${longest}m`], meta: [], label: null }),
    ).toThrow(/at most 74/);
  });
});

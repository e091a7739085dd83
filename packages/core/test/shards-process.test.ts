// Across processes: a stream stopped at random points resumes in a fresh process (node + tsx) to
// exactly the rest of the epoch, and an export SIGKILLed mid-shard leaves only complete shards under
// final names and resumes to the same bytes as an uninterrupted export.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/index';
import { exportShards } from '../src/node';
import { shardTestDataset, tempDir } from './shard-fakes';

const child = fileURLToPath(new URL('./shards-child.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const work = tempDir('process');
const dir = join(work, 'export');
const referenceDir = join(work, 'reference');

beforeAll(async () => {
  const ds = await shardTestDataset();
  await exportShards(ds, { dir, maxItemsPerShard: 5, fsync: false });
  await exportShards(ds, { dir: referenceDir, maxItemsPerShard: 8, fsync: false });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, ...args], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  return result;
}

function read(options: object, state: object | '-', count: number) {
  const result = run([
    'read',
    join(dir, 'manifest.json'),
    JSON.stringify(options),
    state === '-' ? '-' : JSON.stringify(state),
    String(count),
  ]);
  if (result.status !== 0) throw new Error(`child failed (${result.status}): ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return {
    keys: lines.filter((l) => l.startsWith('key ')).map((l) => l.slice(4)),
    state: JSON.parse(lines.find((l) => l.startsWith('state '))!.slice(6)),
  };
}

describe('resume in a fresh process', () => {
  for (const options of [
    { rank: 1, worldSize: 2, shuffle: { buffer: 10, seed: 9 }, epoch: 1 },
    { worldSize: 3, rank: 0, shuffle: { buffer: 4, seed: 1 }, pad: 'drop' },
  ])
    it(`stops at random points and continues exactly (${JSON.stringify(options)})`, () => {
      const full = read(options, '-', -1).keys;
      expect(full.length).toBeGreaterThan(10);
      const random = mulberry32(full.length);
      const stops = [1, full.length - 1, 1 + Math.floor(random() * (full.length - 2))];
      for (const stop of stops) {
        const head = read(options, '-', stop);
        expect(head.keys).toEqual(full.slice(0, stop));
        const tail = read(options, head.state, -1);
        expect([...head.keys, ...tail.keys]).toEqual(full);
      }
    });
});

describe('export killed with SIGKILL', () => {
  it('leaves only whole shards under final names and resumes to identical bytes', async () => {
    const killed = join(work, 'killed');
    const result = run(['export', killed, '29']);
    expect(result.signal).toBe('SIGKILL');
    const names = readdirSync(killed);
    // Items 24..31 were going into shard 3: its temporary file stays, under a name that is not final.
    expect(names.filter((n) => n.endsWith('.tar')).sort()).toEqual([
      'shard-000000.tar',
      'shard-000001.tar',
      'shard-000002.tar',
    ]);
    expect(names.some((n) => /^\.shard-000003\.tar\.\d+\.tmp$/.test(n))).toBe(true);
    expect(existsSync(join(killed, 'manifest.json'))).toBe(false);
    // Every shard under a final name is complete: its sha256 is the one the progress file recorded.
    const state = JSON.parse(readFileSync(join(killed, '.shard.export-state.json'), 'utf8'));
    for (const shard of state.shards)
      expect(
        createHash('sha256')
          .update(readFileSync(join(killed, shard.name)))
          .digest('hex'),
      ).toBe(shard.sha256);

    const ds = await shardTestDataset();
    const resumed = await exportShards(ds, { dir: killed, maxItemsPerShard: 8, fsync: false });
    expect({ kept: resumed.keptShards, written: resumed.writtenShards }).toEqual({ kept: 3, written: 4 });
    const files = (d: string) => readdirSync(d).sort();
    expect(files(killed)).toEqual(files(referenceDir));
    for (const name of files(referenceDir))
      expect(readFileSync(join(killed, name)).equals(readFileSync(join(referenceDir, name)))).toBe(true);
  });
});

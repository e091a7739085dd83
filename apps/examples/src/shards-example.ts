// Exports the bundled samples as WebDataset tar shards and streams them back as two ranks of a
// data-parallel job: shuffled per epoch, equal batches per rank, and a stream that stops half-way
// and resumes (in a real job: in a fresh process after a crash) where it stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportShards, openShardedDataset, openSpectrogramDataset } from 'spgdataset';

const samples = fileURLToPath(new URL('../../../samples/basic/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'spg-shards-example-'));

try {
  const ds = await openSpectrogramDataset({
    audioRoot: samples,
    metadataJsonPath: join(samples, 'metadata.json'),
    spectrogramsRoot: join(work, 'spectrograms'),
    indexRoot: join(work, 'index'),
    windowContentRatio: 0,
    outputConfiguration: { masks: ['speech'], meta: ['speaker'], label: 'gender' },
  });
  const { manifest } = await exportShards(ds, { dir: join(work, 'shards'), maxItemsPerShard: 16 });
  console.log(`exported ${manifest.items} items in ${manifest.shards.length} shards`);

  const open = (rank: number) =>
    openShardedDataset({
      manifest: join(work, 'shards', 'manifest.json'), // a path or an http(s) URL
      rank,
      worldSize: 2,
      shuffle: { buffer: 32, seed: 1 },
    });
  for (const rank of [0, 1]) {
    const shards = await open(rank);
    let batches = 0;
    for await (const batch of shards.batches(8)) batches += batch.label ? 1 : 0;
    console.log(`rank ${rank}: ${shards.plan(0).split} split, ${batches} batches of up to 8`);
  }

  // Stop after 2 batches, keep the state (small JSON), resume from it in a new reader.
  const first = await open(0);
  const seen: string[] = [];
  for await (const batch of first.batches(8, { collate: (items) => items.map((i) => i.key) })) {
    seen.push(...batch);
    if (seen.length === 16) break;
  }
  const state = JSON.stringify(first.state());
  const second = await open(0);
  second.resume(JSON.parse(state));
  for await (const item of second) seen.push(item.key);
  const whole: string[] = [];
  for await (const item of await open(0)) whole.push(item.key);
  console.log(`state ${state}`);
  console.log(
    `resumed stream equals an uninterrupted epoch: ${JSON.stringify(seen) === JSON.stringify(whole)}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

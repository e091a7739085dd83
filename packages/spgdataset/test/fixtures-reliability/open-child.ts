// Child process of the kill-and-resume tests: opens a dataset on a prepared folder and prints a
// summary of every item. KILL_PHASE / KILL_AFTER make it SIGKILL itself from onProgress after
// `KILL_AFTER` steps of that phase (a deterministic kill point); MAX_MEMORY_CACHE enables preload.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openSpectrogramDataset } from '../../src/index';

const root = process.argv[2]!;
const killPhase = process.env.KILL_PHASE;
const killAfter = Number(process.env.KILL_AFTER ?? 0);

const ds = await openSpectrogramDataset({
  audioRoot: join(root, 'audio'),
  spectrogramsRoot: join(root, 'spectrograms'),
  indexRoot: join(root, 'index'),
  metadataJsonPath: join(root, 'metadata.json'),
  windowSizeSec: 0.32,
  windowOffsetSec: 0.1,
  windowContentRatio: 0.25,
  extractor: 'js',
  split: [0.75, 0.25],
  maxMemoryCache: Number(process.env.MAX_MEMORY_CACHE ?? 0),
  numWorkers: Number(process.env.NUM_WORKERS ?? 0),
  outputConfiguration: { masks: ['speech'], meta: ['gender'], label: 'kind' },
  logger: { info: () => {}, warn: (m) => process.stderr.write(`warn: ${m}\n`) },
  onProgress: (event) => {
    process.stdout.write(`progress ${event.phase} ${event.done}\n`);
    if (event.phase === killPhase && event.done >= killAfter) process.kill(process.pid, 'SIGKILL');
  },
});

const items: string[] = [];
const modes: { length: number; locations: string[] }[] = [];
for (const mode of [0, 1]) {
  ds.setMode(mode);
  const locations: string[] = [];
  for (let i = 0; i < ds.length; i++) {
    const l = ds.locate(i);
    locations.push(`${l.path}#${l.window}@${l.startSample}:${l.contentRatio}`);
    const item = await ds.get(i);
    const hash = createHash('sha256');
    hash.update(new Uint8Array(item.spectrogram!.data.buffer));
    hash.update(new Uint8Array(item.masks!.speech!.data.buffer));
    hash.update(JSON.stringify([item.label, item.meta]));
    items.push(hash.digest('hex'));
  }
  modes.push({ length: ds.length, locations });
}
const report = ds.report();
process.stdout.write(
  `summary ${JSON.stringify({ modes, items, classes: ds.classes, files: report.files, skipped: report.skipped, spectrograms: report.spectrograms, indexReused: report.indexReused })}\n`,
);

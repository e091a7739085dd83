// Joins two datasets with different label sets (the bundled speech and noise samples, labelled by
// speaker) and prints the router's classes and one item's label under both label rules (docs/behaviour.md#router).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSpectrogramDataset, SpectrogramDatasetRouter } from 'spgdataset';

const samples = fileURLToPath(new URL('../../../samples/basic/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'spg-router-example-'));
const all = JSON.parse(readFileSync(join(samples, 'metadata.json'), 'utf8')) as Record<string, unknown>;

/** Opens one sample folder as its own dataset; its metadata keys become relative to that folder. */
async function openFolder(folder: string) {
  const own = Object.entries(all).filter(([path]) => path.startsWith(`${folder}/`));
  const metadataJsonPath = join(work, `${folder}.json`);
  writeFileSync(
    metadataJsonPath,
    JSON.stringify(Object.fromEntries(own.map(([p, e]) => [p.slice(folder.length + 1), e]))),
  );
  return openSpectrogramDataset({
    audioRoot: join(samples, folder),
    spectrogramsRoot: join(work, folder, 'spectrograms'),
    indexRoot: join(work, folder, 'index'),
    metadataJsonPath,
    windowContentRatio: 0,
    outputConfiguration: { spectrogram: true, meta: ['gender'], label: 'speaker' },
  });
}

try {
  const speech = await openFolder('speech');
  const noise = await openFolder('noise');
  console.log(`speech: ${speech.length} windows, classes ${speech.classes.join(' ')}`);
  console.log(`noise: ${noise.length} windows, classes ${noise.classes.join(' ')}`);

  // 'offset' (default): noise labels move up by speech's class count. 'merge': one sorted set of names.
  for (const labels of ['offset', 'merge'] as const) {
    const router = new SpectrogramDatasetRouter([speech, noise], { labels });
    const last = router.length - 1;
    const item = await router.get(last);
    const { dataset, index } = router.locate(last);
    console.log(`${labels}: ${router.length} windows, classes ${router.classes.join(' ')}`);
    console.log(
      `${labels}: item ${last} = dataset ${dataset} item ${index}, label ${item.label} (${router.classes[item.label!]})`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

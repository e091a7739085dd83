// Quickstart: the seed README's example, translated. Opens the bundled samples/basic dataset (audio +
// metadata.json), asks for the "speech" mask, the "gender" metadata and the "kind" label, splits it
// 80/10/10 by file, and prints a few training items. Caches and the index go under .tmp/quickstart.
import { fileURLToPath } from 'node:url';
import { openSpectrogramDataset } from 'spgdataset';

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

const dataset = await openSpectrogramDataset({
  audioRoot: repo('samples/basic'),
  spectrogramsRoot: repo('.tmp/quickstart/spectrograms'),
  indexRoot: repo('.tmp/quickstart/index'),
  metadataJsonPath: repo('samples/basic/metadata.json'),
  sampleRate: 16000,
  windowSizeSec: 1.92,
  windowOffsetSec: 0.1,
  windowContentRatio: 0.5,
  nMels: 80,
  split: [0.8, 0.1, 0.1],
  outputConfiguration: { audio: true, spectrogram: true, masks: ['speech'], meta: ['gender'], label: 'kind' },
  logger: { info: () => {}, warn: (message) => console.log(`note: ${message}`) },
});

const report = dataset.report();
console.log(
  `files: ${report.files}, windows kept: ${report.items}, classes: [${dataset.classes.join(', ')}]`,
);
console.log(
  `items per split: train ${report.splitItems[0]}, validate ${report.splitItems[1]}, test ${report.splitItems[2]}`,
);
console.log(
  `spectrograms (${report.extractor}): ${report.spectrograms.generated} computed, ${report.spectrograms.cached} from the cache; index ${report.indexReused ? 'reused' : 'built'}`,
);

dataset.train();
for (const i of [0, 1, Math.floor(dataset.length / 2), dataset.length - 1]) {
  const item = await dataset.get(i);
  const where = dataset.locate(i);
  const mask = item.masks!.speech!;
  const coverage = mask.data.reduce((n, x) => n + x, 0) / mask.data.length;
  console.log(
    [
      `train[${i}] ${where.path} window ${where.window} (from ${(where.startSample / 16000).toFixed(2)} s)`,
      `spectrogram [${item.spectrogram!.shape.join(', ')}]`,
      `audio [${item.audio!.shape.join(', ')}]`,
      `speech mask ${(coverage * 100).toFixed(1)}% of frames`,
      `label ${item.label} (${dataset.classes[item.label!]})`,
      `meta ${JSON.stringify(item.meta)}`,
    ].join(' | '),
  );
}

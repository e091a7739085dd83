// SpectrogramDataset runs the ReadableDataset conformance suite: with every item part, through the
// builder with the test fakes; with spectrograms only and a cache; with one split part.
import { createDataset, silentLogger } from '../src/index';
import { describeReadableDataset } from '../src/testing/describe-readable-dataset';
import {
  encodeRaw,
  energyExtractor,
  fakeDecoder,
  fakeSource,
  identityResampler,
  mapCache,
  metadataInput,
  testMel,
  toneBursts,
} from './dataset-fakes';

// 12 files of 2-6 windows (window 5120 samples, offset 1600), 4 speakers, 3 kinds of label.
const files = Array.from({ length: 12 }, (_, i) => {
  const length = 5120 + 1600 * (1 + (i % 5)) + 37 * i;
  return {
    path: `spk${i % 4}/f${String(i).padStart(2, '0')}.wav`,
    length,
    bursts: [[400 + 100 * i, 3000 + 211 * i] as [number, number]],
    metadata: { speaker: `s${i % 4}`, kind: ['zebra', 'ant', 'moth'][i % 3]!, take: i },
  };
});

function builder() {
  const source = fakeSource(
    Object.fromEntries(files.map((f) => [f.path, encodeRaw(toneBursts(f.length, f.bursts))])),
  );
  const metadata = Object.fromEntries(
    files.map((f) => [f.path, { length: f.length, intervals: { speech: f.bursts }, metadata: f.metadata }]),
  );
  return createDataset()
    .source(source)
    .decoder(fakeDecoder())
    .resampler(identityResampler)
    .extractor(energyExtractor(testMel))
    .metadata(metadataInput(metadata))
    .windows({ windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 0 })
    .logger(silentLogger)
    .split({ split: [0.5, 0.25, 0.25], seed: 7, splitBy: 'file' });
}

describeReadableDataset('SpectrogramDataset (every part, memory cache)', {
  create: () =>
    builder()
      .output({ audio: true, spectrogram: true, masks: ['speech'], meta: ['speaker', 'take'], label: 'kind' })
      .memory({ maxMemoryCache: 1 })
      .build(),
});

describeReadableDataset('SpectrogramDataset (spectrograms only, persistent cache, split by window)', {
  create: () =>
    builder()
      .cache(mapCache())
      .split({ split: [0.6, 0.2, 0.2], seed: 3, splitBy: 'window' })
      .build(),
});

describeReadableDataset('SpectrogramDataset (one split part, label and masks only)', {
  create: () =>
    builder()
      .output({ spectrogram: false, masks: ['speech'], label: 'kind' })
      .split([1])
      .build(),
  splitParts: 1,
});

// SpectrogramDatasetRouter runs core's ReadableDataset conformance suite over real
// SpectrogramDatasets (built with createDataset() from in-memory plugins), with both label rules,
// and nested in another router.
import {
  type AudioDecoder,
  type AudioSource,
  createDataset,
  type FeatureExtractor,
  mapSource,
  type ReadableDataset,
  type Resampler,
  silentLogger,
} from '@spgdataset/core';
import { describeReadableDataset } from '@spgdataset/core/testing';
import { SpectrogramDatasetRouter } from '../src/index';

const RATE = 8000;
const HOP = 80;

/** Raw float32 samples in, one channel at 8 kHz out. */
const decoder: AudioDecoder = {
  kind: 'decoder',
  id: 'test/raw-f32',
  options: null,
  decode: async (bytes) => ({ channelData: [new Float32Array(bytes.slice().buffer)], sampleRate: RATE }),
};
const resampler: Resampler = { kind: 'resampler', id: 'test/identity', options: null, resample: (x) => x };
/** Per hop: mean square and peak, as two rows (declares its features; core derives the rest). */
const extractor: FeatureExtractor = {
  kind: 'extractor',
  id: 'test/hop-stats',
  options: null,
  version: 1,
  features: { rows: 2, sampleRate: RATE, hopLength: HOP },
  extract(x) {
    const frames = Math.floor(x.length / HOP);
    const data = new Float32Array(2 * frames);
    for (let t = 0; t < frames; t++) {
      let energy = 0;
      let peak = 0;
      for (let i = t * HOP; i < (t + 1) * HOP; i++) {
        energy += x[i]! ** 2;
        peak = Math.max(peak, Math.abs(x[i]!));
      }
      data[t] = energy / HOP;
      data[frames + t] = peak;
    }
    return { data, shape: [2, frames] };
  },
};

/** A corpus of `files` recordings (2-5 windows each) labelled from `kinds`, with speech intervals. */
function corpus(name: string, files: number, kinds: string[]): Promise<ReadableDataset> {
  const entries = Array.from({ length: files }, (_, i) => {
    const length = 1600 + 800 * (1 + (i % 4)) + 13 * i;
    const samples = Float32Array.from(
      { length },
      (_, t) => Math.sin(t / (2 + i)) * (t % 997 < 500 ? 1 : 0.1),
    );
    return {
      path: `${name}/r${i}.wav`,
      bytes: new Uint8Array(samples.buffer),
      metadata: {
        length,
        intervals: { speech: [[200 + 10 * i, 1500 + 40 * i]] },
        metadata: { kind: kinds[i % kinds.length], take: `${name}-${i}` },
      },
    };
  });
  const source: AudioSource = mapSource(Object.fromEntries(entries.map((e) => [e.path, e.bytes])));
  const metadata = new TextEncoder().encode(
    JSON.stringify(Object.fromEntries(entries.map((e) => [e.path, e.metadata]))),
  );
  return createDataset()
    .source(source)
    .decoder(decoder)
    .resampler(resampler)
    .extractor(extractor)
    .metadata({ name: `${name}/metadata.json`, read: async () => metadata })
    .windows({ windowSizeSec: 0.2, windowOffsetSec: 0.1, windowContentRatio: 0 })
    .output({ masks: ['speech'], label: 'kind', meta: ['take'] })
    .split({ split: [0.5, 0.25, 0.25], seed: 11 })
    .logger(silentLogger)
    .build();
}

const members = () =>
  Promise.all([corpus('birds', 9, ['owl', 'crow']), corpus('cars', 7, ['van', 'crow', 'bus'])]);

describeReadableDataset("SpectrogramDatasetRouter ('merge' labels)", {
  create: async () => new SpectrogramDatasetRouter(await members(), { labels: 'merge' }),
});

describeReadableDataset("SpectrogramDatasetRouter ('offset' labels: classes concatenated)", {
  create: async () => new SpectrogramDatasetRouter(await members()),
  sortedClasses: false,
});

describeReadableDataset('SpectrogramDatasetRouter nested in a router', {
  create: async () => {
    const [birds, cars] = await members();
    const inner = new SpectrogramDatasetRouter([birds!, cars!], { labels: 'merge' });
    return new SpectrogramDatasetRouter([inner, await corpus('rain', 5, ['drizzle', 'owl'])], {
      labels: 'merge',
    });
  },
});

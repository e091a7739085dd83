// A third-party-style extractor: extract returns a Promise; it declares its features and nothing
// else (no params, fingerprint or frameCount). Opened through createDataset() it gives the same
// items as the same values computed synchronously.
import { describe, expect, it } from 'vitest';
import {
  createDataset,
  extractorFingerprint,
  extractorFrameCount,
  type FeatureExtractor,
  fingerprint,
  type Item,
  SpgExtractorError,
  silentLogger,
  type Tensor,
} from '../src/index';
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

/** The energy extractor's values, computed "remotely": after a macrotask, as a Promise. */
function remoteExtractor(fail?: string): FeatureExtractor & { calls: number } {
  const local = energyExtractor(testMel);
  const extractor = {
    kind: 'extractor' as const,
    id: 'third-party/remote-energy',
    options: { rows: 4, hopLength: 160 },
    version: 3,
    features: { rows: 4, sampleRate: 16000, hopLength: 160 },
    calls: 0,
    async extract(mono: Float32Array): Promise<Tensor> {
      extractor.calls++;
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (fail) throw new Error(fail);
      return local.extract(mono);
    },
  };
  return extractor;
}

const files = Array.from({ length: 5 }, (_, i) => ({
  path: `d${i % 2}/f${i}.wav`,
  length: 8320 + 1600 * i,
  bursts: [[500 * i, 4000 + 900 * i] as [number, number]],
  kind: i % 2 ? 'x' : 'y',
}));

function builder(extractor: FeatureExtractor) {
  const source = fakeSource(
    Object.fromEntries(files.map((f) => [f.path, encodeRaw(toneBursts(f.length, f.bursts))])),
  );
  const metadata = Object.fromEntries(
    files.map((f) => [
      f.path,
      { length: f.length, intervals: { speech: f.bursts }, metadata: { kind: f.kind } },
    ]),
  );
  return createDataset()
    .source(source)
    .decoder(fakeDecoder())
    .resampler(identityResampler)
    .extractor(extractor)
    .metadata(metadataInput(metadata))
    .windows({ windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 0 })
    .output({ masks: ['speech'], label: 'kind' })
    .split([0.6, 0.4])
    .logger(silentLogger);
}

async function items(ds: { length: number; get(i: number): Promise<Item> }): Promise<Item[]> {
  return Promise.all(Array.from({ length: ds.length }, (_, i) => ds.get(i)));
}

describe('an extractor whose extract returns a Promise', () => {
  it('core derives its frame count and fingerprint from what it declares', () => {
    const remote = remoteExtractor();
    expect(extractorFrameCount(remote, 5120)).toBe(32);
    expect(extractorFrameCount(remote, 159)).toBe(0);
    expect(extractorFingerprint(remote)).toBe(
      fingerprint({
        id: 'third-party/remote-energy',
        version: 3,
        options: { rows: 4, hopLength: 160 },
        features: { rows: 4, sampleRate: 16000, hopLength: 160 },
      }),
    );
    // A mel extractor's own fingerprint() wins.
    const mel = energyExtractor(testMel);
    expect(extractorFingerprint(mel)).toBe(mel.fingerprint());
  });

  for (const [label, configure] of [
    ['no cache', (b: ReturnType<typeof builder>) => b],
    ['memory cache', (b: ReturnType<typeof builder>) => b.memory({ maxMemoryCache: 1 })],
    ['persistent cache', (b: ReturnType<typeof builder>) => b.cache(mapCache())],
  ] as const) {
    it(`gives the items of the same values computed synchronously (${label})`, async () => {
      const remote = remoteExtractor();
      const asynchronous = await configure(builder(remote)).build();
      const synchronous = await configure(builder(energyExtractor(testMel))).build();
      for (const mode of [0, 1]) {
        asynchronous.setMode(mode);
        synchronous.setMode(mode);
        expect(asynchronous.length).toBe(synchronous.length);
        expect(asynchronous.length).toBeGreaterThan(0);
        expect(await items(asynchronous)).toEqual(await items(synchronous));
        const indices = Array.from({ length: asynchronous.length }, (_, i) => i).reverse();
        expect(await asynchronous.getBatch(indices)).toEqual(await synchronous.getBatch(indices));
      }
      expect(remote.calls).toBeGreaterThan(0);
      // Different extractors, different cache keys.
      expect(asynchronous.featureFingerprint).not.toBe(synchronous.featureFingerprint);
    });
  }

  it('reports a rejected extract as SpgExtractorError naming the extractor and the file', async () => {
    const error = await builder(remoteExtractor('GPU out of memory'))
      .memory({ maxMemoryCache: 1 })
      .build()
      .catch((e: unknown) => e);
    expect(SpgExtractorError.isInstance(error)).toBe(true);
    expect((error as SpgExtractorError).code).toBe('SPG_EXTRACTOR_FAILED');
    expect((error as Error).message).toMatch(
      /third-party\/remote-energy failed on "d0\/f0\.wav".*GPU out of memory/,
    );
  });
});

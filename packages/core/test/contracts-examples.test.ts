// One tiny example implementation of each contract, used through the builder and the dataset (or
// directly), so the docs' examples are known to typecheck and to work.
import { describe, expect, it } from 'vitest';
import {
  type AudioDecoder,
  type AudioSource,
  type CacheKey,
  createDataset,
  type FeatureExtractor,
  type IndexStore,
  type Json,
  type Logger,
  type ProgressEvent,
  type Resampler,
  type SpectrogramCache,
  type Tensor,
} from '../src/index';

const rate = 16000;

/** AudioSource: a map of raw float32 files. */
function exampleSource(files: Map<string, Float32Array>): AudioSource {
  return {
    kind: 'source',
    id: 'example/map',
    options: null,
    list: async () => [...files.keys()].sort(),
    read: async (path) => new Uint8Array(files.get(path)!.slice().buffer),
    stat: async (path) => ({ size: files.get(path)!.byteLength, changeToken: '0' }),
  };
}

/** AudioDecoder: bytes are float32 samples at 16 kHz. */
const exampleDecoder: AudioDecoder = {
  kind: 'decoder',
  id: 'example/raw-f32',
  options: null,
  decode: async (bytes) => ({ channelData: [new Float32Array(bytes.slice().buffer)], sampleRate: rate }),
};

/** Resampler: nearest neighbour (NOT band-limited; an example only). */
const exampleResampler: Resampler = {
  kind: 'resampler',
  id: 'example/nearest',
  options: null,
  resample: (x, from, to) =>
    from === to
      ? x
      : Float32Array.from(
          { length: Math.round((x.length * to) / from) },
          (_, i) => x[Math.floor((i * from) / to)]!,
        ),
};

/**
 * FeatureExtractor: mean square per hop, in every row. It declares its features and nothing else:
 * core derives the frame count and the fingerprint (from id, version, options and features).
 */
const features = { rows: 4, sampleRate: rate, hopLength: 160 };
const exampleExtractor: FeatureExtractor = {
  kind: 'extractor',
  id: 'example/energy',
  options: { rows: 4, hopLength: 160 },
  version: 1,
  features,
  extract(x) {
    const frames = Math.floor(x.length / features.hopLength);
    const data = new Float32Array(features.rows * frames);
    for (let t = 0; t < frames; t++) {
      let e = 0;
      for (let i = 0; i < features.hopLength; i++) e += x[t * features.hopLength + i]! ** 2;
      for (let m = 0; m < features.rows; m++) data[m * frames + t] = e / features.hopLength;
    }
    return { data, shape: [features.rows, frames] };
  },
};

/** SpectrogramCache: a Map. */
function exampleCache(): SpectrogramCache & { map: Map<string, Tensor> } {
  const map = new Map<string, Tensor>();
  const keys = new Map<string, CacheKey>();
  return {
    kind: 'cache',
    id: 'example/map',
    options: null,
    map,
    get: async (k) => map.get(k.id),
    put: async (k, t) => {
      map.set(k.id, { data: t.data.slice(), shape: [...t.shape] });
      keys.set(k.id, k);
    },
    has: async (k) => map.has(k.id),
    delete: async (k) => keys.delete(k.id) && map.delete(k.id),
    keys: async function* () {
      yield* keys.values();
    },
    byteSize: async () => [...map.values()].reduce((n, t) => n + t.data.byteLength, 0),
  };
}

/** IndexStore: a Map of JSON. */
function exampleIndexStore(): IndexStore & { saved: Map<string, Json> } {
  const saved = new Map<string, Json>();
  return { saved, load: async (f) => saved.get(f), save: async (f, index) => void saved.set(f, index) };
}

describe('contract examples, assembled by the builder', () => {
  it('build a working dataset', async () => {
    const tone = Float32Array.from({ length: rate * 2 }, (_, i) => (i < rate ? 0 : 0.5 * Math.sin(i / 5)));
    const cache = exampleCache();
    const indexStore = exampleIndexStore();
    const messages: string[] = [];
    const logger: Logger = { info: (m) => messages.push(m), warn: (m) => messages.push(m) };
    const events: ProgressEvent[] = [];
    const ds = await createDataset()
      .source(exampleSource(new Map([['tone.raw.wav', tone]])))
      .decoder(exampleDecoder)
      .resampler(exampleResampler)
      .extractor(exampleExtractor)
      .cache(cache)
      .indexStore(indexStore)
      .windows({ windowSizeSec: 1, windowOffsetSec: 1 })
      .logger(logger)
      .progress((e) => events.push(e))
      .build();
    expect(ds.length).toBe(2);
    const [silent, loud] = [await ds.get(0), await ds.get(1)];
    expect(silent.spectrogram!.shape).toEqual([4, 100]);
    expect(Math.max(...silent.spectrogram!.data)).toBe(0);
    expect(Math.min(...loud.spectrogram!.data.subarray(0, 90))).toBeGreaterThan(0.1);
    expect(cache.map.size).toBe(1);
    expect(indexStore.saved.size).toBe(1);
    expect(events.some((e) => e.phase === 'index' && e.done === e.total)).toBe(true);
  });

  it('the nearest-neighbour resampler example keeps the contract length', () => {
    expect(exampleResampler.resample(new Float32Array(441), 44100, 16000).length).toBe(160);
  });
});

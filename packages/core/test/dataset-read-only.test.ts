import { describe, expect, it } from 'vitest';
import { openDataset } from '../src/dataset/open-dataset';
import { type DatasetParts, SpgCacheError, SpgError } from '../src/index';
import {
  encodeRaw,
  energyExtractor,
  fakeDecoder,
  fakeSource,
  mapCache,
  mapIndexStore,
  metadataInput,
  testMel,
  testParts,
  toneBursts,
} from './dataset-fakes';

// openDataset(parts, { readOnly: true }) reads what a normal open built and never builds anything.
function world() {
  const source = fakeSource({
    'a.wav': encodeRaw(toneBursts(12000, [[800, 9600]])),
    'b.wav': encodeRaw(toneBursts(20000, [[4000, 12000]])),
  });
  const metadata = {
    'a.wav': { length: 12000, intervals: { speech: [[800, 9600]] } },
    'b.wav': { intervals: { speech: [[4000, 12000]] } },
  };
  const cache = mapCache();
  const indexStore = mapIndexStore();
  const parts = (extra: Partial<DatasetParts> = {}) => {
    const decoder = fakeDecoder();
    const extractor = energyExtractor(testMel);
    return {
      decoder,
      extractor,
      parts: testParts({
        source,
        decoder,
        extractor,
        cache,
        indexStore,
        metadata: metadataInput(metadata),
        output: { audio: false, spectrogram: true, masks: ['speech'], meta: [], label: null },
        windows: { windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 0.2 },
        ...extra,
      }),
    };
  };
  return { cache, indexStore, parts };
}

async function notBuilt(promise: Promise<unknown>): Promise<SpgError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(SpgError.isInstance(error)).toBe(true);
  expect((error as SpgError).code).toBe('SPG_DATASET_NOT_BUILT');
  return error as SpgError;
}

describe('openDataset readOnly', () => {
  it('without a stored index fails naming the index, and decodes, generates and writes nothing', async () => {
    const w = world();
    const { parts, decoder, extractor } = w.parts();
    const error = await notBuilt(openDataset(parts, { readOnly: true }));
    expect(error.details.part).toBe('index');
    expect(error.message).toMatch(/build it first/);
    expect(decoder.calls).toBe(0);
    expect(extractor.calls).toBe(0);
    expect(w.indexStore.saves).toBe(0);
    expect(w.cache.puts).toBe(0);
  });

  it('with the index but a missing spectrogram fails listing the file, and generates nothing', async () => {
    const w = world();
    await openDataset(w.parts().parts);
    const bKey = [...w.cache.map.keys()].find((id) => id.includes('b.wav'))!;
    w.cache.map.delete(bKey);
    const puts = w.cache.puts;
    const { parts, extractor } = w.parts();
    const error = await notBuilt(openDataset(parts, { readOnly: true }));
    expect(error.details).toMatchObject({ part: 'spectrograms', missing: ['b.wav'] });
    expect(error.message).toMatch(/1 of 2 spectrograms? is missing .*b\.wav/);
    expect(extractor.calls).toBe(0);
    expect(w.cache.puts).toBe(puts);
  });

  it('opens a built dataset with the same items, and neither decodes nor extracts', async () => {
    const w = world();
    const built = await openDataset(w.parts().parts);
    const { parts, decoder, extractor } = w.parts();
    const ds = await openDataset(parts, { readOnly: true });
    expect(ds.length).toBe(built.length);
    for (let i = 0; i < ds.length; i++) expect(await ds.get(i)).toEqual(await built.get(i));
    expect(decoder.calls).toBe(0);
    expect(extractor.calls).toBe(0);
  });

  it('an entry gone or damaged after opening is an error on get, not regenerated nor deleted', async () => {
    const w = world();
    await openDataset(w.parts().parts);
    const { parts, extractor } = w.parts();
    const ds = await openDataset(parts, { readOnly: true });
    const [aKey, bKey] = [...w.cache.map.keys()].sort();
    w.cache.map.delete(aKey!);
    const a = await notBuilt(ds.get(0));
    expect(a.details.missing).toEqual(['a.wav']);
    const damaged = w.cache.get;
    w.cache.get = async (key) => {
      if (key.id === bKey) throw new SpgCacheError('SPG_CACHE_CORRUPT', 'bad bytes', { operation: 'get' });
      return damaged(key);
    };
    const last = ds.length - 1;
    const error = await ds.get(last).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(SpgCacheError.isInstance(error) && error.code).toBe('SPG_CACHE_CORRUPT');
    expect(w.cache.map.has(bKey!)).toBe(true);
    expect(extractor.calls).toBe(0);
  });

  it('an index opened without spectrograms needs no cache entry', async () => {
    const w = world();
    await openDataset(
      w.parts({ output: { audio: false, spectrogram: false, masks: ['speech'], meta: [], label: null } })
        .parts,
    );
    expect(w.cache.map.size).toBe(0);
    const { parts } = w.parts({
      output: { audio: true, spectrogram: false, masks: ['speech'], meta: [], label: null },
    });
    const ds = await openDataset(parts, { readOnly: true });
    expect((await ds.get(0)).audio?.shape).toEqual([5120]);
  });
});

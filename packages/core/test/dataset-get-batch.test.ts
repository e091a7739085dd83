import { describe, expect, it } from 'vitest';
import {
  DataLoader,
  defaultCollate,
  type OutputConfiguration,
  openDataset,
  type SpectrogramDataset,
} from '../src/index';
import {
  encodeRaw,
  energyExtractor,
  fakeSource,
  metadataInput,
  testParts,
  toneBursts,
} from './dataset-fakes';

/** Three files with speech bursts, a gender and a kind, under the given output configuration. */
async function dataset(
  output: Partial<OutputConfiguration>,
  maxMemoryCache = 64,
): Promise<SpectrogramDataset> {
  const files: Record<string, Uint8Array> = {};
  const metadata: Record<string, unknown> = {};
  const lengths = [40_000, 56_000, 71_000];
  lengths.forEach((length, f) => {
    const speech: [number, number][] = [[4_000 + f * 900, 20_000 + f * 1_300]];
    files[`d/f${f}.wav`] = encodeRaw(toneBursts(length, speech));
    metadata[`d/f${f}.wav`] = {
      length,
      intervals: { speech },
      metadata: { gender: f % 2 ? 'm' : 'f', kind: f === 2 ? 'noise' : 'speech' },
    };
  });
  return openDataset(
    testParts({
      source: fakeSource(files),
      extractor: energyExtractor({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 16 }),
      metadata: metadataInput(metadata),
      windows: { windowSizeSec: 0.64, windowOffsetSec: 0.1, windowContentRatio: 0 },
      output: { audio: false, spectrogram: true, masks: [], meta: [], label: null, ...output },
      memory: { maxMemoryCache, dtype: 'float32' },
    }),
  );
}

describe('SpectrogramDataset.getBatch', () => {
  it.each([
    ['spectrogram, mask, label and meta', { masks: ['speech'], meta: ['gender'], label: 'kind' }],
    ['spectrogram only, no memory cache', {}],
    ['audio too (falls back to get)', { audio: true, masks: ['speech'] }],
  ] as const)('equals defaultCollate of get() items: %s', async (_name, output) => {
    const ds = await dataset(output as Partial<OutputConfiguration>, 'masks' in output ? 64 : 0);
    const indices = [0, ds.length - 1, 3, 3, 7, 1].filter((i) => i < ds.length);
    const expected = defaultCollate(await Promise.all(indices.map((i) => ds.get(i))));
    expect(await ds.getBatch(indices)).toEqual(expected);
  });

  it('rejects an out-of-range index with RangeError', async () => {
    const ds = await dataset({});
    await expect(ds.getBatch([0, ds.length])).rejects.toThrow(RangeError);
  });

  it('the DataLoader with the default collate gives the same batches through getBatch', async () => {
    const ds = await dataset({ masks: ['speech'], label: 'kind' });
    const viaGetBatch = [];
    for await (const batch of new DataLoader(ds, { batchSize: 5, shuffle: true, seed: 3 }))
      viaGetBatch.push(batch);
    // The same loader without getBatch (a wrapper exposing only the item interface).
    const itemsOnly = {
      length: ds.length,
      classes: ds.classes,
      outputConfiguration: ds.outputConfiguration,
      get: (i: number) => ds.get(i),
      setMode: (k: number, f?: number) => ds.setMode(k, f),
    };
    const viaItems = [];
    for await (const batch of new DataLoader(itemsOnly, { batchSize: 5, shuffle: true, seed: 3 }))
      viaItems.push(batch);
    expect(viaGetBatch.length).toBeGreaterThan(1);
    expect(viaGetBatch).toEqual(viaItems);
  });
});

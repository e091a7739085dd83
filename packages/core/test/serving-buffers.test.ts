// How items and batches own their memory: get() makes one buffer per item, getBatch() one per batch
// or writes into a batch it is given, and the DataLoader recycles batches only with reuseBatches.
import { describe, expect, it } from 'vitest';
import {
  type Batch,
  DataLoader,
  defaultCollate,
  type OutputConfiguration,
  openDataset,
  type SpectrogramDataset,
  SpgConfigError,
} from '../src/index';
import {
  encodeRaw,
  energyExtractor,
  fakeSource,
  mapCache,
  metadataInput,
  testParts,
  toneBursts,
} from './dataset-fakes';

/** Three files with speech and noise bursts, a gender and a kind. */
async function dataset(
  output: Partial<OutputConfiguration>,
  memory: { maxMemoryCache: number; dtype: 'float32' | 'float16' } = {
    maxMemoryCache: 64,
    dtype: 'float32',
  },
): Promise<SpectrogramDataset> {
  const files: Record<string, Uint8Array> = {};
  const metadata: Record<string, unknown> = {};
  [40_000, 56_000, 71_000].forEach((length, f) => {
    const speech: [number, number][] = [[4_000 + f * 900, 20_000 + f * 1_300]];
    const noise: [number, number][] = [[30_000, 36_000 + f * 700]];
    files[`d/f${f}.wav`] = encodeRaw(toneBursts(length, speech));
    metadata[`d/f${f}.wav`] = {
      length,
      intervals: { speech, noise },
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
      cache: mapCache(),
      memory,
    }),
  );
}

/** A deep copy of a batch's values (what a loop that keeps a batch would have to hold on to). */
function snapshot(batch: Batch): unknown {
  return structuredClone(batch);
}

const full = { masks: ['speech', 'noise'], meta: ['gender'], label: 'kind' } as const;

describe('get(): one buffer per item', () => {
  it('spectrogram, masks and audio are views of one new ArrayBuffer, different for every call', async () => {
    const ds = await dataset({ ...full, masks: [...full.masks], meta: [...full.meta], audio: true });
    const a = await ds.get(3);
    const b = await ds.get(3);
    const buffer = a.spectrogram!.data.buffer;
    expect(a.masks!.speech!.data.buffer).toBe(buffer);
    expect(a.masks!.noise!.data.buffer).toBe(buffer);
    expect(a.audio!.data.buffer).toBe(buffer);
    // Exactly the item's values, no slack: spectrogram + 2 masks + audio.
    const { spgLength, windowSize } = ds.sizes;
    expect(buffer.byteLength).toBe(4 * (16 * spgLength + 2 * spgLength + windowSize));
    expect(b.spectrogram!.data.buffer).not.toBe(buffer);
    expect(b).toEqual(a);
    // Writing into one item never changes another (or the cache behind them).
    a.spectrogram!.data.fill(7);
    a.masks!.speech!.data.fill(7);
    expect(await ds.get(3)).toEqual(b);
  });

  it('items from a float16 memory cache and from no memory cache equal the float32 ones', async () => {
    const output = { masks: ['speech'], label: 'kind' };
    const f32 = await dataset(output);
    const none = await dataset(output, { maxMemoryCache: 0, dtype: 'float32' });
    for (const i of [0, 5, f32.length - 1]) expect(await none.get(i)).toEqual(await f32.get(i));
  });
});

describe('getBatch(): one buffer per batch, or the batch it is given', () => {
  it('a new batch keeps every part in one buffer and equals defaultCollate of get() items', async () => {
    const ds = await dataset({ ...full, masks: [...full.masks], meta: [...full.meta] });
    const indices = [0, 4, 2, ds.length - 1];
    const batch = await ds.getBatch(indices);
    const buffer = batch.spectrogram!.data.buffer;
    expect(batch.masks!.speech!.data.buffer).toBe(buffer);
    expect(batch.masks!.noise!.data.buffer).toBe(buffer);
    expect(batch.label!.buffer).toBe(buffer);
    expect(batch).toEqual(defaultCollate(await Promise.all(indices.map((i) => ds.get(i)))));
  });

  it('writes into `into` (same arrays, returned) with the values a new batch has', async () => {
    const ds = await dataset({ ...full, masks: [...full.masks], meta: [...full.meta] });
    const first = await ds.getBatch([1, 2, 3]);
    const arrays = [first.spectrogram!.data, first.masks!.speech!.data, first.label!, first.meta!.gender!];
    const indices = [ds.length - 1, 0, 6];
    const reused = await ds.getBatch(indices, first);
    expect(reused).toBe(first);
    expect([
      reused.spectrogram!.data,
      reused.masks!.speech!.data,
      reused.label!,
      reused.meta!.gender!,
    ]).toEqual(arrays);
    expect(reused.spectrogram!.data).toBe(arrays[0]);
    expect(reused.masks!.speech!.data).toBe(arrays[1]);
    // Old mask frames are cleared, not merged with the new ones.
    expect(snapshot(reused)).toEqual(snapshot(await ds.getBatch(indices)));
  });

  it('ignores an `into` of another size or layout and makes a new batch', async () => {
    const ds = await dataset({ masks: ['speech'], label: 'kind' });
    const three = await ds.getBatch([0, 1, 2]);
    const two = await ds.getBatch([3, 4], three);
    expect(two).not.toBe(three);
    expect(two.spectrogram!.shape[0]).toBe(2);
    const other = await dataset({ masks: ['noise'] });
    const foreign = await other.getBatch([0, 1, 2]);
    const mine = await ds.getBatch([0, 1, 2], foreign);
    expect(mine).not.toBe(foreign);
    expect(mine).toEqual(await ds.getBatch([0, 1, 2]));
  });
});

describe('DataLoader batch ownership', () => {
  const options = { batchSize: 4, shuffle: true, seed: 5, prefetch: 2 } as const;

  it('by default every batch is new and stays valid after the loop moves on', async () => {
    const ds = await dataset({ masks: ['speech'], label: 'kind' });
    const kept: Batch[] = [];
    const copies: unknown[] = [];
    for await (const batch of new DataLoader(ds, options)) {
      kept.push(batch);
      copies.push(snapshot(batch));
    }
    expect(kept.length).toBeGreaterThan(4);
    expect(new Set(kept.map((b) => b.spectrogram!.data.buffer)).size).toBe(kept.length);
    expect(kept.map(snapshot)).toEqual(copies);
  });

  it('with reuseBatches, batches have the same values, the held batch is never written while held, and memory is recycled', async () => {
    const ds = await dataset({ masks: ['speech'], meta: ['gender'], label: 'kind' });
    const expected: unknown[] = [];
    for await (const batch of new DataLoader(ds, options)) expected.push(snapshot(batch));

    const loader = new DataLoader(ds, { ...options, reuseBatches: true });
    expect(loader.reuseBatches).toBe(true);
    const seen: unknown[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for (let epoch = 0; epoch < 2; epoch++) {
      let k = 0;
      for await (const batch of loader.batches(0)) {
        const atHandOver = snapshot(batch);
        // Let the prefetched batches load while the loop "works" on this one.
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(snapshot(batch), `batch ${k} changed while the loop held it`).toEqual(atHandOver);
        if (epoch === 0) seen.push(atHandOver);
        else expect(atHandOver).toEqual(expected[k]);
        buffers.add(batch.spectrogram!.data.buffer);
        k++;
      }
    }
    expect(seen).toEqual(expected);
    // prefetch + 1 recycled batches serve every full batch of both epochs, plus the smaller last one.
    expect(buffers.size).toBeLessThanOrEqual(options.prefetch + 1 + 2);
    expect(buffers.size).toBeLessThan(2 * expected.length);
  });

  it('rejects a reuseBatches that is not a boolean', async () => {
    const ds = await dataset({});
    expect(() => new DataLoader(ds, { reuseBatches: 'yes' as never })).toThrow(SpgConfigError);
  });
});

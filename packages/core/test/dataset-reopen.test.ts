import { describe, expect, it } from 'vitest';
import { openDataset } from '../src/dataset/open-dataset';
import type {
  DatasetParts,
  GenerationScheduler,
  MelOptions,
  PluginDefinition,
  SpectrogramCache,
} from '../src/index';
import {
  cacheKey,
  createRegistry,
  isSkippableFileError,
  runGenerationTask,
  SpgCacheError,
  type StandardSchemaV1,
} from '../src/index';
import {
  collectingLogger,
  encodeRaw,
  energyExtractor,
  fakeDecoder,
  fakeSource,
  identityResampler,
  mapCache,
  mapIndexStore,
  metadataInput,
  testMel,
  testParts,
  toneBursts,
} from './dataset-fakes';

const anySchema: StandardSchemaV1 = {
  '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) },
};

function world() {
  const source = fakeSource({
    'a.wav': encodeRaw(toneBursts(12000, [[800, 9600]])),
    'b.wav': encodeRaw(toneBursts(20000, [[4000, 12000]])),
    'c.wav': encodeRaw(toneBursts(9000, [[0, 3000]])),
  });
  // c.wav has no length: it is measured by decoding
  const metadata = {
    'a.wav': { length: 12000, intervals: { speech: [[800, 9600]] } },
    'b.wav': { length: 20000, intervals: { speech: [[4000, 12000]] } },
    'c.wav': { intervals: { speech: [[0, 3000]] } },
  };
  const cache = mapCache();
  const indexStore = mapIndexStore();
  const open = (mel: MelOptions = testMel, extra = {}) => {
    const decoder = fakeDecoder();
    const extractor = energyExtractor(mel);
    const ds = openDataset(
      testParts({
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
    );
    return { ds, decoder, extractor };
  };
  return { source, cache, indexStore, open };
}

describe('reopening (docs/behaviour.md#caches)', () => {
  it('the first open decodes each file once (c.wav: measured and generated from one decode)', async () => {
    const w = world();
    const first = w.open();
    const ds = await first.ds;
    expect(first.decoder.calls).toBe(3);
    expect(first.extractor.calls).toBe(3);
    expect(ds.report()).toMatchObject({
      indexReused: false,
      spectrograms: { generated: 3, cached: 0, lengthsMeasured: 1 },
    });
    expect(w.indexStore.saves).toBe(1);
  });

  it('reopening unchanged decodes nothing and computes no spectrogram', async () => {
    const w = world();
    const before = await (await w.open().ds).get(3);
    const second = w.open();
    const ds = await second.ds;
    expect(second.decoder.calls).toBe(0);
    expect(second.extractor.calls).toBe(0);
    expect(ds.report()).toMatchObject({ indexReused: true, spectrograms: { generated: 0, cached: 3 } });
    // items come from the cache, unchanged
    for (let i = 0; i < ds.length; i++) await ds.get(i);
    expect(second.decoder.calls).toBe(0);
    expect(second.extractor.calls).toBe(0);
    expect((await ds.get(3)).spectrogram).toEqual(before.spectrogram);
  });

  it.each([
    ['nMels', { ...testMel, nMels: 5 }],
    ['hopLength', { ...testMel, hopLength: 320 }],
    ['normalize', { ...testMel, normalize: true }],
    ['nFft', { ...testMel, nFft: 512 }],
  ])('reopening with a changed %s recomputes every spectrogram', async (_name, mel) => {
    const w = world();
    await w.open().ds;
    const changed = w.open(mel);
    const ds = await changed.ds;
    expect(changed.extractor.calls).toBe(3);
    const item = await ds.get(0);
    expect(item.spectrogram!.shape).toEqual([mel.nMels, ds.sizes.spgLength]);
  });

  it('a changed dtype or window grid recomputes; the index alone changes with the content ratio', async () => {
    const w = world();
    await w.open().ds;
    const half = w.open(testMel, { memory: { maxMemoryCache: 0, dtype: 'float16' } });
    await half.ds;
    expect(half.extractor.calls).toBe(3);
    const ratio = w.open(testMel, {
      windows: { windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 0.9 },
    });
    const ds = await ratio.ds;
    expect(ds.report().indexReused).toBe(false);
    expect(ratio.extractor.calls).toBe(0);
    const grid = w.open(testMel, {
      windows: { windowSizeSec: 0.32, windowOffsetSec: 0.2, windowContentRatio: 0.2 },
    });
    await grid.ds;
    expect(grid.extractor.calls).toBeGreaterThan(0);
  });

  it('a changed file recomputes only that file', async () => {
    const w = world();
    await w.open().ds;
    w.source.tokens.set('b.wav', '2');
    const again = w.open();
    await again.ds;
    // b.wav is regenerated; c.wav (no length in metadata.json) is decoded again to re-measure it,
    // because the index is rebuilt, but its cached spectrogram is kept.
    expect(again.decoder.calls).toBe(2);
    expect(again.extractor.calls).toBe(1);
    expect((await again.ds).report().spectrograms).toMatchObject({ generated: 1, cached: 2 });
  });

  it('float16 storage rounds values and keeps them equal between fresh and cached reads', async () => {
    const w = world();
    const fresh = await w.open(testMel, { memory: { maxMemoryCache: 0, dtype: 'float16' } }).ds;
    const v = (await fresh.get(0)).spectrogram!.data;
    const reopened = await w.open(testMel, { memory: { maxMemoryCache: 0, dtype: 'float16' } }).ds;
    expect((await reopened.get(0)).spectrogram!.data).toEqual(v);
    // -10 (silence: log10(1e-10)) is exact; a burst value like log10(18.75) = 1.273 is not exact in float16
    const sample = v.find((x) => x > 1)!;
    expect(Math.abs(sample - Math.log10(18.75))).toBeLessThan(1e-3);
    expect(sample).not.toBe(Math.fround(Math.log10(18.75)));
  });

  it('a damaged index is reported and rebuilt', async () => {
    const w = world();
    await w.open().ds;
    const [fp] = [...w.indexStore.map.keys()];
    w.indexStore.map.set(fp!, JSON.stringify({ format: 1, files: 'nope' }));
    const logger = collectingLogger();
    const ds = await w.open(testMel, { logger }).ds;
    expect(ds.report().indexReused).toBe(false);
    expect(logger.warnings.some((m) => m.includes('damaged'))).toBe(true);
  });

  it('a damaged cache entry is reported once and regenerated', async () => {
    const w = world();
    await w.open().ds;
    const get = w.cache.get;
    w.cache.get = async (k) => {
      if (k.path === 'a.wav')
        throw new SpgCacheError('SPG_CACHE_CORRUPT', 'truncated', { key: k.id, operation: 'get' });
      return get(k);
    };
    const logger = collectingLogger();
    const again = w.open(testMel, { logger });
    const ds = await again.ds;
    const item = await ds.get(0);
    expect(item.spectrogram!.shape).toEqual([4, 32]);
    expect(again.extractor.calls).toBe(1);
    expect(logger.warnings.filter((m) => m.includes('a.wav') && m.includes('damaged'))).toHaveLength(1);
  });

  it('the memory cache preloads within its budget and serves items without the persistent cache', async () => {
    const w = world();
    await w.open().ds;
    const gets = w.cache.gets;
    const ds = await w.open(testMel, { memory: { maxMemoryCache: 1, dtype: 'float32' } }).ds;
    expect(ds.report().memoryBytes).toBeGreaterThan(0);
    const afterPreload = w.cache.gets;
    expect(afterPreload - gets).toBe(3);
    for (let i = 0; i < ds.length; i++) await ds.get(i);
    expect(w.cache.gets).toBe(afterPreload);
  });

  it('without any cache, items are computed on demand and still match', async () => {
    const source = world().source;
    const extractor = energyExtractor(testMel);
    const ds = await openDataset(testParts({ source, extractor }));
    expect(extractor.calls).toBe(0);
    const item = await ds.get(0);
    expect(item.spectrogram!.shape).toEqual([4, 32]);
    expect(extractor.calls).toBe(1);
  });
});

describe('memory-only caching (no persistent cache)', () => {
  it('generates at open until the memory budget is full, then on demand', async () => {
    const source = fakeSource(
      Object.fromEntries(
        Array.from({ length: 6 }, (_, i) => [`f${i}.wav`, encodeRaw(new Float32Array(16000))]),
      ),
    );
    const extractor = energyExtractor(testMel);
    // no metadata: lengths are measured by decoding, and each spectrogram made from that decode.
    // one file: 16320 padded samples = 102 frames x 4 mels x 4 bytes + 256 overhead = 1888 bytes,
    // so a 4000-byte budget holds 2; the 3rd is declined and generation stops.
    const ds = await openDataset(
      testParts({ source, extractor, memory: { maxMemoryCache: 4000 / 2 ** 20, dtype: 'float32' } }),
    );
    expect(extractor.calls).toBe(3);
    expect(ds.report().memoryBytes).toBeLessThanOrEqual(4000);
    const perFile = ds.length / 6;
    await ds.get(0);
    expect(extractor.calls).toBe(3);
    await ds.get(5 * perFile);
    expect(extractor.calls).toBe(4);
  });
});

describe('pluggable generation (schedulers)', () => {
  it('a scheduler runs up to numWorkers generations at once, writes the cache and the dataset serves their results', async () => {
    const source = fakeSource(
      Object.fromEntries(
        Array.from({ length: 7 }, (_, i) => [`f${i}.wav`, encodeRaw(toneBursts(8000, [[0, 4000]]))]),
      ),
    );
    const metadata = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`f${i}.wav`, { length: 8000 }]));
    const extractor = energyExtractor(testMel);
    let inFlight = 0;
    let maxInFlight = 0;
    const jobs: string[] = [];
    const inThread = energyExtractor(testMel);
    const cache = mapCache();
    // A scheduler of its own workers: 3 at a time, each making the entry and writing the cache.
    const scheduler: GenerationScheduler = {
      kind: 'scheduler',
      id: 'test/three-at-a-time',
      options: null,
      concurrency: 3,
      async run({ plan, tasks, onResult }) {
        const queue = [...tasks];
        const worker = async () => {
          for (let task = queue.shift(); task; task = queue.shift()) {
            jobs.push(task.path);
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await new Promise((resolve) => setTimeout(resolve, 5));
            inFlight--;
            const padded = new Float32Array(8320);
            padded.set(toneBursts(8000, [[0, 4000]]));
            await cache.put(cacheKey(task, plan.featureFingerprint), inThread.extract(padded));
            onResult({ path: task.path, frames: 52, warnings: [] });
          }
        };
        await Promise.all([worker(), worker(), worker()]);
      },
    };
    // Workers re-create plugins from the registry's definitions, so every plugin must be registered.
    const define = (plugin: { kind: string; id: string }) =>
      ({
        kind: plugin.kind,
        id: plugin.id,
        module: 'test-fakes',
        schema: anySchema,
        create: () => plugin,
      }) as unknown as PluginDefinition;
    const parts = testParts({
      source,
      extractor,
      cache,
      metadata: metadataInput(metadata),
      numWorkers: 3,
      scheduler,
    });
    parts.registry = createRegistry(
      [parts.source, parts.decoder, parts.resampler, extractor, cache].map(define),
    );
    const ds = await openDataset(parts);
    expect(jobs.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `f${i}.wav`));
    expect(maxInFlight).toBe(3);
    expect(extractor.calls).toBe(0);
    expect((await ds.get(0)).spectrogram!.shape).toEqual([4, 32]);
  });
});

describe('onError skip with a scheduler (workers decode, the coordinator does not)', () => {
  const broken = new Uint8Array([1, 2, 3]);
  const files = () => ({
    'a.wav': encodeRaw(toneBursts(12000, [[800, 9600]])),
    'b-broken.wav': broken,
    'c.wav': encodeRaw(toneBursts(9000, [[0, 3000]])),
    'd.wav': encodeRaw(toneBursts(20000, [[4000, 12000]])),
  });
  // c.wav has no length (the coordinator measures it); the others, the broken one included, have one.
  const metadata = {
    'a.wav': { length: 12000, intervals: { speech: [[800, 9600]] }, metadata: { kind: 'x' } },
    'b-broken.wav': { length: 8000, intervals: { speech: [[0, 8000]] }, metadata: { kind: 'y' } },
    'c.wav': { intervals: { speech: [[0, 3000]] }, metadata: { kind: 'x' } },
    'd.wav': { length: 20000, intervals: { speech: [[4000, 12000]] }, metadata: { kind: 'x' } },
  };
  const define = (plugin: { kind: string; id: string }) =>
    ({
      kind: plugin.kind,
      id: plugin.id,
      module: 'test-fakes',
      schema: anySchema,
      create: () => plugin,
    }) as unknown as PluginDefinition;

  /** Runs each task in this thread as a worker would, reporting its own file's errors through onSkip. */
  function inProcessScheduler(
    parts: () => Pick<DatasetParts, 'source' | 'decoder' | 'resampler' | 'extractor'>,
    cache: SpectrogramCache,
  ) {
    const ran: string[] = [];
    const scheduler: GenerationScheduler = {
      kind: 'scheduler',
      id: 'test/in-process',
      options: null,
      concurrency: 1,
      async run({ plan, tasks, onResult, onSkip }) {
        const p = parts();
        for (const task of tasks) {
          ran.push(task.path);
          try {
            onResult(
              await runGenerationTask(
                {
                  ...p,
                  sampleRate: plan.sampleRate,
                  windowSize: plan.windowSize,
                  windowOffset: plan.windowOffset,
                  dtype: plan.dtype,
                },
                cache,
                plan.featureFingerprint,
                task,
              ),
            );
          } catch (error) {
            if (!onSkip || !isSkippableFileError(error)) throw error;
            onSkip({ path: task.path, reason: error.message });
          }
        }
      },
    };
    return { scheduler, ran };
  }

  function open(withScheduler: boolean) {
    const source = fakeSource(files());
    const decoder = fakeDecoder();
    const extractor = energyExtractor(testMel);
    const cache = mapCache();
    const indexStore = mapIndexStore();
    const logger = collectingLogger();
    const { scheduler, ran } = inProcessScheduler(
      () => ({ source, decoder, resampler: identityResampler, extractor }),
      cache,
    );
    const parts = testParts({
      source,
      decoder,
      extractor,
      cache,
      indexStore,
      logger,
      metadata: metadataInput(metadata),
      output: { audio: false, spectrogram: true, masks: ['speech'], meta: [], label: 'kind' },
      windows: { windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 0.2 },
      onError: 'skip',
      ...(withScheduler && { scheduler }),
    });
    parts.registry = createRegistry(
      [parts.source, parts.decoder, parts.resampler, extractor, cache].map(define),
    );
    return { ds: openDataset(parts), decoder, cache, indexStore, logger, ran };
  }

  it('leaves the file workers could not decode out of the saved index: the same index and entries as skipping in this thread', async () => {
    const here = open(false);
    const there = open(true);
    const [a, b] = [await here.ds, await there.ds];
    // In this thread every file is decoded while indexing; with workers only c.wav (no length) is.
    expect(here.decoder.calls).toBe(4);
    expect(there.decoder.calls).toBe(1 + 2 + 1); // c.wav here; a, d and the broken file in the worker
    expect(there.ran.sort()).toEqual(['a.wav', 'b-broken.wav', 'd.wav']);
    expect(b.report().skipped).toEqual(a.report().skipped);
    expect(b.report().skipped.map((s) => s.path)).toEqual(['b-broken.wav']);
    expect(b.report().skipped[0]!.reason).toContain('b-broken.wav');
    expect(b.classes).toEqual(['x']);
    expect(b.length).toBe(a.length);
    // The index written is the one in-thread skipping writes, byte for byte, and it is written once.
    expect([...there.indexStore.map.values()]).toEqual([...here.indexStore.map.values()]);
    expect(there.indexStore.saves).toBe(1);
    expect([...there.cache.map.keys()].sort()).toEqual([...here.cache.map.keys()].sort());
    for (const [key, tensor] of here.cache.map) expect(there.cache.map.get(key)!.data).toEqual(tensor.data);
    expect(
      there.logger.warnings.filter((w) => /skipped \(onError 'skip'\): b-broken\.wav/.test(w)),
    ).toHaveLength(1);
    for (let i = 0; i < b.length; i++) expect(b.locate(i)).toEqual(a.locate(i));
  });

  it('without onError skip the worker error fails the open, naming the file', async () => {
    const source = fakeSource(files());
    const extractor = energyExtractor(testMel);
    const cache = mapCache();
    const { scheduler } = inProcessScheduler(
      () => ({ source, decoder: fakeDecoder(), resampler: identityResampler, extractor }),
      cache,
    );
    const parts = testParts({
      source,
      extractor,
      cache,
      metadata: metadataInput(metadata),
      output: { audio: false, spectrogram: true, masks: ['speech'], meta: [], label: null },
      scheduler,
    });
    parts.registry = createRegistry(
      [parts.source, parts.decoder, parts.resampler, extractor, cache].map(define),
    );
    await expect(openDataset(parts)).rejects.toThrow(/b-broken\.wav/);
  });
});

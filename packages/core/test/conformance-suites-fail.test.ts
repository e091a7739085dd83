// The conformance suites can fail: implementations with one deliberate defect each fail the case
// about it (and only the cases that defect touches), while the sound implementation passes it.

import { describe, expect, it } from 'vitest';
import { MemoryEntryWriter } from '../src/generation/memory-entry-writer';
import {
  type CacheKey,
  createDataset,
  type Item,
  MemoryCache,
  type ReadableDataset,
  type SpectrogramCache,
  silentLogger,
  type Tensor,
} from '../src/index';
import { type ConformanceResult, runConformanceCases } from '../src/testing/conformance-case';
import { featureExtractorCases } from '../src/testing/feature-extractor-cases';
import { readableDatasetCases } from '../src/testing/readable-dataset-cases';
import { spectrogramCacheCases } from '../src/testing/spectrogram-cache-cases';
import {
  encodeRaw,
  energyExtractor,
  fakeDecoder,
  fakeSource,
  identityResampler,
  metadataInput,
  testMel,
} from './dataset-fakes';

const status = (results: ConformanceResult[], name: string) => {
  const found = results.filter((r) => r.name.startsWith(name));
  expect(found.length, `cases named "${name}..."`).toBeGreaterThan(0);
  return [...new Set(found.map((r) => r.status))].join();
};

function dataset(): Promise<ReadableDataset> {
  const paths = Array.from({ length: 8 }, (_, i) => `f${i}.wav`);
  const signal = (i: number) =>
    Float32Array.from({ length: 8320 + 1600 * i }, (_, t) => Math.sin(t / (3 + i)));
  return createDataset()
    .source(fakeSource(Object.fromEntries(paths.map((p, i) => [p, encodeRaw(signal(i))]))))
    .decoder(fakeDecoder())
    .resampler(identityResampler)
    .extractor(energyExtractor(testMel))
    .metadata(
      metadataInput(
        Object.fromEntries(paths.map((p, i) => [p, { metadata: { kind: ['a', 'b', 'c'][i % 3] } }])),
      ),
    )
    .windows({ windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 0 })
    .output({ label: 'kind' })
    .split([0.5, 0.25, 0.25])
    .logger(silentLogger)
    .build();
}

type Located = ReadableDataset & { locate(index: number): unknown };

/** `dataset()` behind a plain object that delegates every member, with some members replaced. */
function broken(change: (ds: Located, self: Record<string, unknown>) => Record<string, unknown>) {
  return async () => {
    const ds = (await dataset()) as Located;
    const self: Record<string, unknown> = {
      get length() {
        return ds.length;
      },
      classes: ds.classes,
      outputConfiguration: ds.outputConfiguration,
      get: (i: number) => ds.get(i),
      setMode: (mode: number, fraction?: number) => ds.setMode(mode, fraction),
      getBatch: (indices: readonly number[]) => ds.getBatch!(indices),
      getRelabeled: (i: number, map: Int32Array) => ds.getRelabeled!(i, map),
      locate: (i: number) => ds.locate(i),
    };
    return Object.assign(self, change(ds, self)) as unknown as ReadableDataset;
  };
}

describe('the ReadableDataset suite fails broken datasets', () => {
  const run = async (create: () => Promise<ReadableDataset>) =>
    runConformanceCases(await readableDatasetCases({ create }));

  it('passes the sound dataset', async () => {
    const results = await run(dataset);
    expect(results.filter((r) => r.status !== 'passed')).toEqual([]);
  });

  it('catches a getBatch that drops a label, a getRelabeled that ignores its map, a plain Error out of range', async () => {
    const batch = await run(
      broken((ds) => ({
        getBatch: async (indices: readonly number[]) => {
          const b = await ds.getBatch!(indices);
          if (b.label && b.label.length > 1) b.label[b.label.length - 1] = 0;
          return b;
        },
      })),
    );
    expect(status(batch, 'getBatch(indices) equals')).toBe('failed');
    expect(status(batch, 'getRelabeled')).toBe('passed');
    const relabel = await run(broken((ds) => ({ getRelabeled: (i: number) => ds.get(i) })));
    expect(status(relabel, 'getRelabeled')).toBe('failed');
    const range = await run(
      broken((ds) => ({
        get: async (i: number): Promise<Item> => {
          if (!(i >= 0 && i < ds.length)) throw new Error(`bad index ${i}`);
          return ds.get(i);
        },
      })),
    );
    expect(status(range, 'get(i) resolves')).toBe('failed');
  });

  it('catches fractions that are not nested and unsorted classes', async () => {
    const fractions = await run(
      broken((ds, self) => ({
        // Small fractions keep the last items of the mode, larger ones the first: not nested.
        setMode(mode: number, fraction = 1) {
          ds.setMode(mode, 1);
          const whole = ds.length;
          const kept = Math.max(1, Math.floor(whole * fraction));
          const start = fraction < 0.4 ? whole - kept : 0;
          Object.defineProperty(self, 'length', { value: kept, configurable: true });
          self.get = (i: number) =>
            i >= 0 && i < kept ? ds.get(start + i) : Promise.reject(new RangeError(`[0, ${kept - 1}]`));
          self.locate = (i: number) => ds.locate(start + i);
        },
      })),
    );
    expect(status(fractions, 'a larger fraction keeps every item')).toBe('failed');
    const classes = await run(broken(() => ({ classes: ['b', 'a', 'c'] })));
    expect(status(classes, 'classes are sorted and unique')).toBe('failed');
  });
});

/** A MemoryCache behind a plain object (so members can be replaced or left out). */
function soundCache(): SpectrogramCache & { memory: MemoryCache } {
  const memory = new MemoryCache({ maxBytes: 2 ** 26 });
  return {
    kind: 'cache',
    id: 'test/memory',
    options: null,
    memory,
    get: (k) => memory.get(k),
    put: (k, t) => memory.put(k, t),
    has: (k) => memory.has(k),
    delete: (k) => memory.delete(k),
    keys: () => memory.keys(),
    byteSize: () => memory.byteSize(),
  };
}

describe('the SpectrogramCache suite fails broken caches', () => {
  const run = async (create: () => SpectrogramCache) =>
    runConformanceCases(await spectrogramCacheCases({ create }));

  it('passes the sound cache and catches aliasing, a lost key and a lying has()', async () => {
    expect((await run(soundCache)).filter((r) => r.status === 'failed')).toEqual([]);
    const aliasing = await run(() => {
      const map = new Map<string, Tensor>();
      return { ...soundCache(), put: async (k, t) => void map.set(k.id, t), get: async (k) => map.get(k.id) };
    });
    expect(status(aliasing, 'stores a copy')).toBe('failed');
    const forgetful = await run(() => {
      const cache = soundCache();
      return {
        ...cache,
        keys: async function* () {
          let first = true;
          for await (const k of cache.memory.keys()) {
            if (!first) yield k;
            first = false;
          }
        },
      };
    });
    expect(status(forgetful, 'keys() lists exactly the stored keys')).toBe('failed');
    expect(status(forgetful, 'has and delete agree')).toBe('passed');
    const lying = await run(() => ({ ...soundCache(), has: async () => true }));
    expect(status(lying, 'returns undefined / false for a key never stored')).toBe('failed');
  });

  it('catches a removeStrays that deletes the entry itself', async () => {
    const greedy = await run(() => {
      const cache = soundCache();
      return { ...cache, removeStrays: async (k: CacheKey) => ((await cache.delete(k)) ? 1 : 0) };
    });
    expect(status(greedy, 'removeStrays keeps every entry')).toBe('failed');
    const tidy = await run(() => ({ ...soundCache(), removeStrays: async () => 0 }));
    expect(status(tidy, 'removeStrays keeps every entry')).toBe('passed');
  });

  it('catches a readWindow one column off and a writer that shows its entry before commit', async () => {
    const sound = await run(() => {
      const cache = soundCache();
      return {
        ...cache,
        readWindow: (k, first, count, into) => cache.memory.readWindow(k, first, count, into),
      };
    });
    expect(status(sound, 'readWindow(): columns equal get()')).toBe('passed');
    const shifted = await run(() => {
      const cache = soundCache();
      return {
        ...cache,
        readWindow: (k, first, count, into) =>
          cache.memory.readWindow(k, first > 0 ? first - 1 : first, count, into),
      };
    });
    expect(status(shifted, 'readWindow(): columns equal get()')).toBe('failed');
    // put() at every append: the entry is visible (and partial) before commit.
    const eager = await run(() => {
      const cache = soundCache();
      return {
        ...cache,
        writer: async (k, rows) => {
          const writer = new MemoryEntryWriter(rows, (t) => cache.put(k, t));
          return {
            get frames() {
              return writer.frames;
            },
            append: async (values: Float32Array) => {
              await writer.append(values);
              await cache.put(k, {
                data: new Float32Array(rows * writer.frames),
                shape: [rows, writer.frames],
              });
            },
            pass: (visit, rewrite) => writer.pass(visit, rewrite),
            commit: () => writer.commit(),
            abort: () => writer.abort(),
          };
        },
      };
    });
    expect(status(eager, 'writer(): frames appended in pieces')).toBe('failed');
    expect(status(eager, 'writer(): abort() keeps')).toBe('failed');
  });

  it('marks the cases of absent optional members not applicable, with the reason', async () => {
    const results = await run(() => {
      const { keys: _keys, byteSize: _bytes, ...minimal } = soundCache();
      return minimal;
    });
    const skipped = results.filter((r) => r.status === 'not-applicable');
    expect(skipped.map((r) => r.name).sort()).toEqual([
      'accounts byteSize exactly',
      'accounts the same bytes when reopened',
      'an overwritten key is accounted as the new value only',
      'an overwritten key is listed once',
      'concurrent puts to one key leave one entry accounted',
      'concurrent puts to one key leave one listed key',
      'keeps its data when reopened',
      'keys() lists exactly the stored keys, as whole CacheKeys',
      'lists the same keys when reopened',
      'readWindow(): columns equal get() bit for bit, at the edges and into a given array',
      'removeStrays keeps every entry and finds nothing to remove after clean writes',
      'writer(): abort() keeps what the key had',
      'writer(): frames appended in pieces and rewritten by pass() commit equal to put of the same values',
    ]);
    expect(skipped.find((r) => r.name.startsWith('keys()'))!.message).toBe('no keys(): listing is optional');
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
  });
});

describe('the FeatureExtractor suite fails broken extractors', () => {
  // No golden cases: this test is about the other cases (the matrix case fails, as it should).
  const index = new TextEncoder().encode(JSON.stringify({ binary: 'golden.bin', signals: {}, cases: [] }));
  const fixtures = { read: async (name: string) => (name === 'index.json' ? index : new Uint8Array(0)) };
  const run = async (create: typeof energyExtractor) =>
    runConformanceCases(await featureExtractorCases({ create, fixtures }));

  it('catches state kept between calls and a mutated input', async () => {
    const sound = await run(energyExtractor);
    expect(status(sound, 'keeps no state between calls')).toBe('passed');
    expect(status(sound, 'does not mutate its input')).toBe('passed');
    expect(status(sound, 'has the expected fixture matrix')).toBe('failed');
    const stateful = await run((options) => {
      const inner = energyExtractor(options);
      let calls = 0;
      return { ...inner, extract: (x) => ({ ...inner.extract(x.map((v) => v + calls++ * 1e-3)) }) };
    });
    expect(status(stateful, 'keeps no state between calls')).toBe('failed');
    const mutating = await run((options) => {
      const inner = energyExtractor(options);
      return { ...inner, extract: (x) => inner.extract(x.fill(0, 0, 1)) };
    });
    expect(status(mutating, 'does not mutate its input')).toBe('failed');
  });

  it('awaits an extractor whose extract returns a Promise', async () => {
    const results = await run((options) => {
      const inner = energyExtractor(options);
      return { ...inner, extract: async (x: Float32Array) => inner.extract(x) } as never;
    });
    const sync = await run(energyExtractor);
    expect(results.map((r) => [r.name, r.status])).toEqual(sync.map((r) => [r.name, r.status]));
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { afterAll, describe, expect, it } from 'vitest';
import {
  audioDecodeDecoder,
  audioDecodeDecoderDefinition,
  createDataset,
  createRegistry,
  type DatasetConfig,
  type DatasetParts,
  type MelOptions,
  melOptionsSchema,
  type PluginDefinition,
  SpgConfigError,
  sincResampler,
  sincResamplerDefinition,
} from '../src/index';
import {
  fileIndexStore,
  fileIndexStoreDefinition,
  fileMetadata,
  fsSource,
  fsSourceDefinition,
} from '../src/node';
import { energyExtractor } from './dataset-fakes';

const samples = fileURLToPath(new URL('../../../samples/basic', import.meta.url));
const indexRoot = mkdtempSync(join(tmpdir(), 'spg-builder-'));
afterAll(() => rmSync(indexRoot, { recursive: true, force: true }));

const energyDefinition: PluginDefinition<'extractor', MelOptions> = {
  kind: 'extractor',
  id: 'test/stft-energy',
  schema: melOptionsSchema,
  create: (options) => energyExtractor(options),
};

const registry = createRegistry(
  [
    fsSourceDefinition,
    audioDecodeDecoderDefinition,
    sincResamplerDefinition,
    energyDefinition,
    fileIndexStoreDefinition,
  ],
  { openMetadata: fileMetadata },
);

const mel = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 8 };

const fullConfig: DatasetConfig = {
  source: { use: 'core/fs', options: { root: samples } },
  decoder: { use: 'core/audio-decode', options: {} },
  resampler: { use: 'core/sinc', options: { attenuationDb: 90 } },
  extractor: { use: 'test/stft-energy', options: mel },
  cache: null,
  indexStore: { use: 'core/file-index', options: { root: indexRoot } },
  metadata: join(samples, 'metadata.json'),
  memory: { maxMemoryCache: 16, dtype: 'float16' },
  windows: { windowSizeSec: 1, windowOffsetSec: 0.5, windowContentRatio: 0.25 },
  output: { audio: true, spectrogram: true, masks: ['speech'], meta: ['speaker'], label: 'gender' },
  split: { split: [0.5, 0.5], seed: 3, splitBy: 'speaker' },
  onError: 'skip',
  numWorkers: 0,
};

/** The JSON-able facts of parts: plugins by id + options, data as is. */
function describeParts(parts: DatasetParts) {
  const plugin = (p: { id: string; options: unknown } | undefined) => p && { id: p.id, options: p.options };
  return {
    source: plugin(parts.source),
    decoder: plugin(parts.decoder),
    resampler: plugin(parts.resampler),
    extractor: { ...plugin(parts.extractor), params: parts.extractor.params },
    cache: plugin(parts.cache),
    metadata: parts.metadata?.name ?? null,
    memory: parts.memory,
    windows: parts.windows,
    output: parts.output,
    split: parts.split,
    onError: parts.onError,
    numWorkers: parts.numWorkers,
    indexStore: parts.indexStore ? 'present' : 'absent',
  };
}

async function configError(promise: Promise<unknown>): Promise<SpgConfigError> {
  try {
    await promise;
  } catch (error) {
    expect(SpgConfigError.isInstance(error)).toBe(true);
    return error as SpgConfigError;
  }
  throw new Error('expected an SpgConfigError');
}

describe('createDataset: JSON config round trip', () => {
  it('fromConfig(json).toConfig() is the same JSON', () => {
    const text = JSON.stringify(fullConfig);
    expect(createDataset.fromConfig(text, registry).toConfig()).toEqual(fullConfig);
    expect(createDataset.fromConfig(fullConfig, registry).toConfig()).toEqual(fullConfig);
  });

  it('a builder made from instances writes a config that rebuilds identical parts', async () => {
    const built = createDataset(registry)
      .source(fsSource(samples))
      .decoder(audioDecodeDecoder())
      .resampler(sincResampler({ attenuationDb: 90 }))
      .extractor(energyExtractor(mel))
      .cache(null)
      .indexStore(fileIndexStore(indexRoot))
      .metadata(fileMetadata(join(samples, 'metadata.json')))
      .memory({ maxMemoryCache: 16 })
      .memory({ dtype: 'float16' })
      .windows({ windowSizeSec: 1, windowOffsetSec: 0.5 })
      .windows({ windowContentRatio: 0.25 })
      .output({ audio: true, masks: ['speech'], meta: ['speaker'], label: 'gender' })
      .split({ split: [0.5, 0.5], seed: 3, splitBy: 'speaker' })
      .onError('skip')
      .numWorkers(0);
    const config = built.toConfig();
    // An instance is written as its id and options: the extractor's options are its resolved params.
    expect(config).toEqual({
      ...fullConfig,
      extractor: {
        use: 'test/stft-energy',
        options: { ...mel, fMin: 0, fMax: 8000, normalize: false, htk: false },
      },
    });
    const again = createDataset.fromConfig(JSON.parse(JSON.stringify(config)), registry);
    expect(describeParts(await again.parts())).toEqual(describeParts(await built.parts()));
  });

  it('toConfig fills the seed defaults for data left unset', () => {
    const config = createDataset()
      .source({ use: 'core/fs', options: { root: 'x' } })
      .toConfig();
    expect(config).toEqual({
      source: { use: 'core/fs', options: { root: 'x' } },
      metadata: null,
      memory: { maxMemoryCache: 0, dtype: 'float32' },
      windows: { windowSizeSec: 1.92, windowOffsetSec: 0.1, windowContentRatio: 0.5 },
      output: { audio: false, spectrogram: true, masks: [], meta: [], label: null },
      split: { split: [1], seed: 0, splitBy: 'file' },
      onError: 'throw',
      numWorkers: 0,
    });
  });

  it('fromConfig rejects unknown keys and bad shapes, all at once', () => {
    try {
      createDataset.fromConfig(
        { sauce: 1, source: { use: 'core/fs', opts: {} }, windows: { windowSizeSec: '2' } } as never,
        registry,
      );
      expect.unreachable();
    } catch (error) {
      expect(SpgConfigError.isInstance(error)).toBe(true);
      const paths = (error as SpgConfigError).issues.map((i) => i.path).sort();
      expect(paths).toEqual(['sauce', 'source.opts', 'windows.windowSizeSec']);
    }
    expect(() => createDataset.fromConfig('{ not json', registry)).toThrow(/not valid JSON/);
  });
});

describe('createDataset: builder', () => {
  it('is immutable: each call returns a new builder and leaves the old one unchanged', () => {
    const a = createDataset().windows({ windowSizeSec: 2 });
    const b = a.windows({ windowOffsetSec: 0.5 });
    expect(b).not.toBe(a);
    expect(a.toConfig().windows).toEqual({ windowSizeSec: 2, windowOffsetSec: 0.1, windowContentRatio: 0.5 });
    expect(b.toConfig().windows).toEqual({ windowSizeSec: 2, windowOffsetSec: 0.5, windowContentRatio: 0.5 });
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('an invalid configuration reports EVERY problem in one SpgConfigError', async () => {
    const bad = createDataset(registry)
      // source missing
      .decoder({ use: 'core/ffmpeg' })
      .resampler(audioDecodeDecoder() as never)
      .extractor({
        use: 'test/stft-energy',
        options: { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 },
      })
      .windows({ windowSizeSec: 1.005, windowOffsetSec: 0.1, windowContentRatio: 1.5 })
      .output({ masks: 'speech' as never, extra: true } as never)
      .split([0.8, 0.1])
      .memory({ maxMemoryCache: -1 })
      .onError('ignore' as never)
      .numWorkers(1.5);
    const error = await configError(bad.parts());
    const paths = error.issues.map((i) => i.path);
    expect(paths.sort()).toEqual(
      [
        'source',
        'decoder.use',
        'resampler',
        'memory.maxMemoryCache',
        'windows.windowContentRatio',
        'output.masks',
        'output.extra',
        'split.split',
        'onError',
        'numWorkers',
      ].sort(),
    );
    const message = (path: string) => error.issues.find((i) => i.path === path)!.message;
    expect(message('decoder.use')).toBe(
      'no decoder "core/ffmpeg" is registered; registered decoder ids: core/audio-decode',
    );
    expect(message('split.split')).toBe(
      'ratios must sum to 1 (sum 0.9); e.g. [0.888889,0.111111] (got [0.8,0.1])',
    );
    expect(message('resampler')).toMatch(/must be a resampler .* \(got kind "decoder"\)/);
    expect(error.message).toMatch(/^Invalid configuration \(10 problems\)/);
    // windowSizeSec is judged once the window content ratio is valid, so it is reported next:
    const second = await configError(bad.windows({ windowContentRatio: 0.5 }).parts());
    expect(second.issues.find((i) => i.path === 'windows.windowSizeSec')?.message).toMatch(
      /1\.005 s is not a whole number of spectrogram frames .* e\.g\. 1/,
    );
  });

  it('checks the extractor against the window grid and names a value that works', async () => {
    const base = createDataset(registry)
      .source(fsSource(samples))
      .decoder(audioDecodeDecoder())
      .resampler(sincResampler());
    const hop = await configError(
      base
        .extractor({
          use: 'test/stft-energy',
          options: { sampleRate: 16000, nFft: 400, hopLength: 150, nMels: 8 },
        })
        .parts(),
    );
    expect(hop.issues).toEqual([
      {
        path: 'extractor.features.hopLength',
        message: expect.stringMatching(
          /not a whole number; a hopLength that divides 16000 works, e\.g\. 160/,
        ),
      },
    ]);
    const size = await configError(
      base.extractor(energyExtractor(mel)).windows({ windowSizeSec: 1.015, windowOffsetSec: 0.105 }).parts(),
    );
    expect(size.issues.map((i) => i.path)).toEqual(['windows.windowSizeSec', 'windows.windowOffsetSec']);
    expect(size.issues[0]!.message).toMatch(/use a multiple of 0\.01 s, e\.g\. 1\.0[12]$/);
    // Extractor options are validated by its definition's schema, under extractor.options:
    const nMels = await configError(
      base
        .extractor({
          use: 'test/stft-energy',
          options: { sampleRate: 16000, nFft: 400, hopLength: 500, nMels: 300 },
        })
        .parts(),
    );
    expect(nMels.issues.map((i) => i.path).sort()).toEqual([
      'extractor.options.hopLength',
      'extractor.options.nMels',
    ]);
  });

  it('checks instance params too (nFft >= hopLength, nMels <= nFft/2 + 1, whole frames)', async () => {
    const liar = {
      ...energyExtractor(mel),
      params: { ...energyExtractor(mel).params, nFft: 100, nMels: 60, hopLength: 160 },
    };
    const error = await configError(
      createDataset()
        .source(fsSource(samples))
        .decoder(audioDecodeDecoder())
        .resampler(sincResampler())
        .extractor(liar)
        .parts(),
    );
    expect(error.issues).toEqual([
      { path: 'extractor.params.nFft', message: 'must be >= hopLength 160 (got 100); e.g. 160' },
      { path: 'extractor.params.nMels', message: 'must be <= nFft / 2 + 1 = 51 (got 60)' },
    ]);
  });

  it('a reference without a registry, or a metadata location without an opener, says what to do', async () => {
    const error = await configError(
      createDataset()
        .source({ use: 'core/fs', options: { root: samples } })
        .decoder(audioDecodeDecoder())
        .resampler(sincResampler())
        .extractor(energyExtractor(mel))
        .metadata('metadata.json')
        .parts(),
    );
    expect(error.issues.map((i) => i.message)).toEqual([
      '{ use: "core/fs" } needs a registry: createDataset(createRegistry([...definitions]))',
      expect.stringMatching(
        /"metadata.json" is a location; open it with a registry made with \{ openMetadata \}/,
      ),
    ]);
  });

  it('disposes the plugins it created when the build fails', async () => {
    let disposed = 0;
    const disposable: PluginDefinition<'resampler', unknown> = {
      kind: 'resampler',
      id: 'test/disposable',
      schema: v.unknown(),
      create: () => ({ ...sincResampler(), id: 'test/disposable', dispose: () => void disposed++ }),
    };
    const error = await configError(
      createDataset(createRegistry([disposable]))
        .resampler({ use: 'test/disposable' })
        .parts(),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['source', 'decoder', 'extractor']);
    expect(disposed).toBe(1);
  });

  it('builds a dataset from a JSON config (fs source, real decoding and resampling, file index store)', async () => {
    const config: DatasetConfig = {
      ...fullConfig,
      output: { spectrogram: true, masks: ['speech'], meta: ['speaker'], label: 'gender' },
      split: { split: [1], seed: 0, splitBy: 'file' },
      onError: 'throw',
      memory: { maxMemoryCache: 0, dtype: 'float32' },
    };
    const logs: string[] = [];
    const ds = await createDataset
      .fromConfig(config, registry)
      .logger({ info: (m) => logs.push(m), warn: (m) => logs.push(m) })
      .build();
    expect(ds.classes).toEqual(['f', 'm', 'none']);
    expect(ds.length).toBeGreaterThan(0);
    const item = await ds.get(0);
    expect(item.spectrogram?.shape).toEqual([8, 100]);
    expect(item.masks?.speech?.shape).toEqual([100]);
    // Reopening finds the index the file index store kept.
    const reopened = await createDataset
      .fromConfig(config, registry)
      .logger({ info() {}, warn() {} })
      .build();
    expect(reopened.length).toBe(ds.length);
    expect(reopened.indexFingerprint).toBe(ds.indexFingerprint);
  });
});

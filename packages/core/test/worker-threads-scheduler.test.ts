import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureFingerprintOf } from '../src/generation/feature-fingerprint';
import {
  cacheKey,
  type GenerationPlan,
  type GenerationTask,
  type GenerationTaskResult,
  makeSpectrogram,
  SpgDecodeError,
  SpgError,
} from '../src/index';
import { partsFromPlan, workerThreadsScheduler } from '../src/node';
import {
  dirCache,
  energyExtractorDefinition,
  FAKES_MODULE,
  type FakeFilesOptions,
  fakeDecoderDefinition,
  fakeSourceDefinition,
  identityResamplerDefinition,
} from './worker-fake-plugins';

// Worker threads load JavaScript only: bundle the worker entry, and the fake plugins as a package
// named "spg-test-fakes" in a node_modules folder the scheduler is told to look in. Both sit under
// core's node_modules so their own imports (tinypool, valibot...) resolve to core's dependencies.
const out = fileURLToPath(new URL('../node_modules/.cache/spg-worker-test/', import.meta.url));
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const files: FakeFilesOptions['files'] = {
  'a.wav': { length: 24000, bursts: [[3200, 8000]] },
  'b.wav': {
    length: 40000,
    bursts: [
      [0, 12000],
      [20000, 39000],
    ],
  },
  'c.wav': { length: 3000, bursts: [[100, 2900]] },
  'broken.wav': { bytes: [1, 2, 3] },
};
const mel = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 4 };
const tasks: GenerationTask[] = [
  { path: 'a.wav', length: 24000, size: 1, changeToken: 't' },
  { path: 'b.wav', length: 40000, size: 1, changeToken: 't' },
  { path: 'c.wav', length: 3000, size: 1, changeToken: 't' },
];
const grid = { sampleRate: 16000, windowSize: 5120, windowOffset: 1600, dtype: 'float32' as const };
const cacheRoot = mkdtempSync(join(tmpdir(), 'spg-worker-cache-'));
afterAll(() => rmSync(cacheRoot, { recursive: true, force: true }));

let plan: GenerationPlan;
let workerFile: string;
let anchors: string[];

beforeAll(async () => {
  const fakes = `${out}node_modules/${FAKES_MODULE}/`;
  mkdirSync(fakes, { recursive: true });
  // Packages stay external (resolved from core's node_modules); our sources are bundled.
  const common = {
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  } as const;
  workerFile = `${out}generation-worker.mjs`;
  await build({ ...common, entryPoints: [here('../src/node/generation-worker.ts')], outfile: workerFile });
  await build({ ...common, entryPoints: [here('./worker-fake-plugins.ts')], outfile: `${fakes}index.mjs` });
  writeFileSync(
    `${fakes}package.json`,
    JSON.stringify({ name: FAKES_MODULE, type: 'module', exports: './index.mjs' }),
  );
  anchors = [pathToFileURL(out).href];
  plan = {
    source: { use: 'test/map', options: { files } as never },
    decoder: { use: 'test/raw-f32', options: null },
    resampler: { use: 'test/identity', options: null },
    extractor: { use: 'test/stft-energy', options: mel },
    cache: { use: 'test/dir', options: { root: cacheRoot } },
    modules: [FAKES_MODULE],
    ...grid,
    featureFingerprint: featureFingerprintOf(
      {
        decoder: await fakeDecoderDefinition.create(null),
        resampler: await identityResamplerDefinition.create(null),
        extractor: await energyExtractorDefinition.create(mel),
      },
      grid,
    ),
  };
});

/** The same parts in this thread (numWorkers: 0). */
async function inThread() {
  return {
    source: await fakeSourceDefinition.create({ files }),
    decoder: await fakeDecoderDefinition.create(null),
    resampler: await identityResamplerDefinition.create(null),
    extractor: await energyExtractorDefinition.create(mel),
    ...grid,
  };
}

const bytes = (data: Float32Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);
const scheduler = () => workerThreadsScheduler({ numWorkers: 2, workerFile, anchors });

describe('worker-threads scheduler (numWorkers 2)', () => {
  it('writes byte-identical spectrograms to generation in this thread, reporting each task', async () => {
    const results: GenerationTaskResult[] = [];
    await scheduler().run({ plan, tasks, onResult: (r) => results.push(r) });
    expect(results.map((r) => r.path).sort()).toEqual(['a.wav', 'b.wav', 'c.wav']);
    const parts = await inThread();
    const cache = dirCache(cacheRoot);
    for (const task of tasks) {
      const local = (await makeSpectrogram(parts, task)).tensor;
      const pooled = (await cache.get(cacheKey(task, plan.featureFingerprint)))!;
      expect(pooled.shape).toEqual(local.shape);
      expect(pooled.data).toBeInstanceOf(Float32Array);
      expect(bytes(pooled.data).equals(bytes(local.data))).toBe(true);
    }
  });

  it('rethrows an SpgError from the worker as the same class, naming the file', async () => {
    const broken = { path: 'broken.wav', length: 1, size: 1, changeToken: 't' };
    const error = await scheduler()
      .run({ plan, tasks: [broken], onResult: () => {} })
      .catch((e: unknown) => e);
    expect(SpgDecodeError.isInstance(error)).toBe(true);
    expect((error as SpgError).code).toBe('SPG_DECODE_FAILED');
    expect((error as Error).message).toContain('broken.wav');
  });

  it('with onSkip, reports a file that cannot be decoded and runs the others; other errors still fail', async () => {
    const broken = { path: 'broken.wav', length: 1, size: 1, changeToken: 't' };
    const skipped: { path: string; reason: string }[] = [];
    const results: GenerationTaskResult[] = [];
    await scheduler().run({
      plan,
      tasks: [broken, ...tasks],
      onResult: (r) => results.push(r),
      onSkip: (s) => skipped.push(s),
    });
    expect(skipped).toEqual([{ path: 'broken.wav', reason: expect.stringContaining('broken.wav') }]);
    expect(results.map((r) => r.path).sort()).toEqual(['a.wav', 'b.wav', 'c.wav']);
    const missing = { path: 'missing.wav', length: 1, size: 1, changeToken: 't' };
    await expect(
      scheduler().run({ plan, tasks: [missing], onResult: () => {}, onSkip: (s) => skipped.push(s) }),
    ).rejects.toThrow(/missing\.wav/);
    expect(skipped).toHaveLength(1);
  });

  it('rethrows other errors with their message and the file', async () => {
    const missing = { path: 'missing.wav', length: 1, size: 1, changeToken: 't' };
    const error = await scheduler()
      .run({ plan, tasks: [missing], onResult: () => {} })
      .catch((e: unknown) => e);
    expect(SpgError.isInstance(error)).toBe(false);
    expect((error as Error).message).toMatch(/no file missing\.wav .*missing\.wav/);
  });

  it('names a package the workers cannot find', async () => {
    const error = await scheduler()
      .run({ plan: { ...plan, modules: ['spg-no-such-package'] }, tasks, onResult: () => {} })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/cannot find the package "spg-no-such-package"/);
  });

  it('rejects a run whose signal is aborted', async () => {
    await expect(
      scheduler().run({ plan, tasks, onResult: () => {}, signal: AbortSignal.abort() }),
    ).rejects.toThrow(/abort/i);
  });

  /** `copies` tasks per file (each its own entry through its change token). */
  const many = (copies: number) =>
    Array.from({ length: copies }, (_, k) => tasks.map((t) => ({ ...t, changeToken: `many-${k}` }))).flat();
  /** Files this thread decoded (the fake decoder counts per thread). */
  const decodedHere = () => (globalThis as { spgFakeDecodes?: number }).spgFakeDecodes ?? 0;

  it('generates files in this thread too while the workers start, writing the same entries', async () => {
    const todo = many(8);
    const before = decodedHere();
    const results: GenerationTaskResult[] = [];
    await scheduler().run({ plan, tasks: todo, onResult: (r) => results.push(r) });
    // The workers take their first files at once; this thread starts on the next ones meanwhile.
    expect(decodedHere()).toBeGreaterThan(before);
    expect(results).toHaveLength(todo.length);
    expect(new Set(results.map((r) => `${r.path}`)).size).toBe(3);
    const parts = await inThread();
    const cache = dirCache(cacheRoot);
    for (const task of todo) {
      const local = (await makeSpectrogram(parts, task)).tensor;
      const pooled = (await cache.get(cacheKey(task, plan.featureFingerprint)))!;
      expect(bytes(pooled.data).equals(bytes(local.data))).toBe(true);
    }
  });

  it('with mainThread false, leaves every file to the workers', async () => {
    const before = decodedHere();
    const results: GenerationTaskResult[] = [];
    await workerThreadsScheduler({ numWorkers: 2, workerFile, anchors, mainThread: false }).run({
      plan,
      tasks: many(8).map((t) => ({ ...t, changeToken: `${t.changeToken}-workers` })),
      onResult: (r) => results.push(r),
    });
    expect(results).toHaveLength(24);
    expect(decodedHere()).toBe(before);
  });

  it('skips or fails on a broken file wherever it is generated', async () => {
    // Last in line: this thread (or a worker done with its first files) takes it.
    const broken = { path: 'broken.wav', length: 1, size: 1, changeToken: 't' };
    const skipped: { path: string; reason: string }[] = [];
    let done = 0;
    await scheduler().run({
      plan,
      tasks: [...many(4), broken],
      onResult: () => done++,
      onSkip: (s) => skipped.push(s),
    });
    expect(done).toBe(12);
    expect(skipped).toEqual([{ path: 'broken.wav', reason: expect.stringContaining('broken.wav') }]);
    const error = await scheduler()
      .run({ plan, tasks: [...many(4), broken], onResult: () => {} })
      .catch((e: unknown) => e);
    expect(SpgDecodeError.isInstance(error)).toBe(true);
    const missing = { path: 'missing.wav', length: 1, size: 1, changeToken: 't' };
    await expect(scheduler().run({ plan, tasks: [...many(4), missing], onResult: () => {} })).rejects.toThrow(
      /no file missing\.wav .*missing\.wav/,
    );
  });

  it('partsFromPlan keeps the plugins of the last 4 plans in a thread and re-creates older ones', async () => {
    const plans = Array.from({ length: 5 }, (_, i) => ({
      ...plan,
      cache: { use: 'test/dir', options: { root: join(cacheRoot, `plan-${i}`) } },
    }));
    const first = await Promise.all(plans.map((p) => partsFromPlan(p, anchors)));
    // The newest four come back as they are; the oldest was let go and is made again.
    for (let i = 1; i < 5; i++) expect(await partsFromPlan(plans[i]!, anchors)).toBe(first[i]);
    const again = await partsFromPlan(plans[0]!, anchors);
    expect(again).not.toBe(first[0]);
    expect(again.cache.options).toEqual(first[0]!.cache.options);
  });

  it('rejects a bad numWorkers', () => {
    expect(() => workerThreadsScheduler({ numWorkers: 0 })).toThrow(/numWorkers: got 0/);
  });
});

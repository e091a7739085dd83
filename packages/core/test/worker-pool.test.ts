import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerationJob, generateSpectrogram, type Json, SpgDecodeError, SpgError } from '../src/index';
import type { GenerationWorkerConfig } from '../src/node/generation-worker-config';
import { createGenerationPool, type GenerationPool } from '../src/node/worker-pool';
import {
  energyExtractorDefinition,
  type FakeFilesOptions,
  fakeDecoderDefinition,
  fakeSourceDefinition,
  identityResamplerDefinition,
} from './worker-fake-plugins';

// Worker threads load JavaScript only: bundle the worker entry and the fake plugins first. The output
// sits under core's node_modules so the worker's `import 'tinypool'` finds the same tinypool
// (its move markers are per copy) and the bundles find core's dependencies.
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
const jobs: GenerationJob[] = [
  { path: 'a.wav', length: 24000 },
  { path: 'b.wav', length: 40000 },
  { path: 'c.wav', length: 3000 },
];

let pool: GenerationPool;
let config: GenerationWorkerConfig;

beforeAll(async () => {
  mkdirSync(out, { recursive: true });
  // Packages stay external (resolved from core's node_modules); our sources are bundled.
  const common = {
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  } as const;
  await build({
    ...common,
    entryPoints: [here('../src/node/generation-worker.ts')],
    outfile: `${out}generation-worker.mjs`,
  });
  await build({
    ...common,
    entryPoints: [here('./worker-fake-plugins.ts')],
    outfile: `${out}fake-plugins.mjs`,
  });
  const module = pathToFileURL(`${out}fake-plugins.mjs`).href;
  config = {
    source: { module, export: 'fakeSourceDefinition', options: { files } as unknown as Json },
    decoder: { module, export: 'fakeDecoderDefinition', options: null },
    resampler: { module, export: 'identityResamplerDefinition', options: null },
    extractor: { module, export: 'energyExtractorDefinition', options: mel },
    sampleRate: 16000,
    windowSize: 5120,
    windowOffset: 1600,
    dtype: 'float32',
  };
  pool = await createGenerationPool(config, { numWorkers: 2, workerFile: `${out}generation-worker.mjs` });
});
afterAll(() => pool?.destroy());

/** The same parts in this thread (numWorkers: 0). */
async function inThread() {
  return {
    source: await fakeSourceDefinition.create({ files }),
    decoder: await fakeDecoderDefinition.create(null),
    resampler: await identityResamplerDefinition.create(null),
    extractor: await energyExtractorDefinition.create(mel),
    sampleRate: 16000,
    windowSize: 5120,
    windowOffset: 1600,
    dtype: 'float32' as const,
  };
}

const bytes = (data: Float32Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

describe('generation pool (numWorkers 2)', () => {
  it('gives byte-identical spectrograms to generation in this thread', async () => {
    const parts = await inThread();
    const pooled = await Promise.all(jobs.map((job) => pool.generate(job)));
    for (const [k, job] of jobs.entries()) {
      const local = await generateSpectrogram(parts, job);
      expect(pooled[k]!.shape).toEqual(local.shape);
      expect(pooled[k]!.data).toBeInstanceOf(Float32Array);
      expect(bytes(pooled[k]!.data).equals(bytes(local.data))).toBe(true);
    }
  });

  it('rethrows an SpgError from the worker as the same class, naming the file', async () => {
    const error = await pool.generate({ path: 'broken.wav', length: 1 }).catch((e: unknown) => e);
    expect(SpgDecodeError.isInstance(error)).toBe(true);
    expect((error as SpgError).code).toBe('SPG_DECODE_FAILED');
    expect((error as Error).message).toContain('broken.wav');
  });

  it('rethrows other errors with their message and the file', async () => {
    const error = await pool.generate({ path: 'missing.wav', length: 1 }).catch((e: unknown) => e);
    expect(SpgError.isInstance(error)).toBe(false);
    expect((error as Error).message).toMatch(/no file missing\.wav .*missing\.wav/);
  });

  it('rejects a job whose signal is aborted', async () => {
    await expect(pool.generate(jobs[0]!, AbortSignal.abort())).rejects.toThrow(/abort/i);
  });

  it('rejects a bad numWorkers', async () => {
    await expect(createGenerationPool(config, { numWorkers: 0 })).rejects.toThrow(/numWorkers: got 0/);
  });
});

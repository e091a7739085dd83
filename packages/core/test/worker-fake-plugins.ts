// The dataset test fakes as plugin definitions, so a generation worker can rebuild them from JSON.
// Bundled to plain JavaScript by worker-threads-scheduler.test.ts as the package "spg-test-fakes"
// (worker threads import plugins by package name and do not load TypeScript).
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeNpy,
  encodeNpy,
  type Json,
  type MelOptions,
  type PluginDefinition,
  type SpectrogramCache,
  type StandardSchemaV1,
} from '../src/index';
import { writeFileAtomic } from '../src/node';
import {
  encodeRaw,
  energyExtractor,
  fakeDecoder,
  fakeSource,
  identityResampler,
  toneBursts,
} from './dataset-fakes';

/** The package name the test gives this module's bundle. */
export const FAKES_MODULE = 'spg-test-fakes';

/** Accepts any JSON (the fakes check nothing). */
function anySchema<T>(): StandardSchemaV1<unknown, T> {
  return { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value: value as T }) } };
}

/** Files described by length and tone bursts; the bytes are synthesised, so options stay small. */
export interface FakeFilesOptions {
  files: Record<string, { length: number; bursts: [number, number][] } | { bytes: number[] }>;
}

export const fakeSourceDefinition: PluginDefinition<'source', FakeFilesOptions> = {
  kind: 'source',
  id: 'test/map',
  module: FAKES_MODULE,
  schema: anySchema(),
  create: ({ files }) =>
    fakeSource(
      Object.fromEntries(
        Object.entries(files).map(([path, f]) => [
          path,
          'bytes' in f ? Uint8Array.from(f.bytes) : encodeRaw(toneBursts(f.length, f.bursts)),
        ]),
      ),
    ),
};

export const fakeDecoderDefinition: PluginDefinition<'decoder', Json> = {
  kind: 'decoder',
  id: 'test/raw-f32',
  module: FAKES_MODULE,
  schema: anySchema(),
  create: () => {
    // Counts decodes per thread (globalThis is the thread's), so a test sees which threads decoded.
    const decoder = fakeDecoder();
    const decode = decoder.decode;
    decoder.decode = (bytes, options) => {
      const counts = globalThis as { spgFakeDecodes?: number };
      counts.spgFakeDecodes = (counts.spgFakeDecodes ?? 0) + 1;
      return decode(bytes, options);
    };
    return decoder;
  },
};

export const identityResamplerDefinition: PluginDefinition<'resampler', Json> = {
  kind: 'resampler',
  id: 'test/identity',
  module: FAKES_MODULE,
  schema: anySchema(),
  create: () => identityResampler,
};

export const energyExtractorDefinition: PluginDefinition<'extractor', MelOptions> = {
  kind: 'extractor',
  id: 'test/stft-energy',
  module: FAKES_MODULE,
  schema: anySchema(),
  create: (options) => energyExtractor(options),
};

/** A cache of .npy files in one folder (entry ids made file-safe): workers and the test share it. */
export function dirCache(root: string): SpectrogramCache {
  const file = (id: string) => join(root, `${encodeURIComponent(id)}.npy`);
  const read = async (id: string) => readFile(file(id)).catch(() => undefined);
  return {
    kind: 'cache',
    id: 'test/dir',
    options: { root },
    get: async (k) => {
      const bytes = await read(k.id);
      if (!bytes) return undefined;
      const { data, shape } = decodeNpy(new Uint8Array(bytes));
      return { data, shape };
    },
    put: async (k, t) => writeFileAtomic(file(k.id), encodeNpy({ data: t.data, shape: t.shape })),
    has: async (k) => (await read(k.id)) !== undefined,
    delete: async (k) => {
      const had = (await read(k.id)) !== undefined;
      await rm(file(k.id), { force: true });
      return had;
    },
    keys: async function* () {},
    byteSize: async () => 0,
  };
}

export const dirCacheDefinition: PluginDefinition<'cache', { root: string }> = {
  kind: 'cache',
  id: 'test/dir',
  module: FAKES_MODULE,
  schema: anySchema(),
  create: ({ root }) => dirCache(root),
};

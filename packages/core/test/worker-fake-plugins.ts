// The dataset test fakes as plugin definitions, so a generation worker can rebuild them from JSON.
// Bundled to plain JavaScript by worker-pool.test.ts (worker threads do not load TypeScript).
import type { Json, MelOptions, PluginDefinition, StandardSchemaV1 } from '../src/index';
import {
  encodeRaw,
  energyExtractor,
  fakeDecoder,
  fakeSource,
  identityResampler,
  toneBursts,
} from './dataset-fakes';

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
  schema: anySchema(),
  create: () => fakeDecoder(),
};

export const identityResamplerDefinition: PluginDefinition<'resampler', Json> = {
  kind: 'resampler',
  id: 'test/identity',
  schema: anySchema(),
  create: () => identityResampler,
};

export const energyExtractorDefinition: PluginDefinition<'extractor', MelOptions> = {
  kind: 'extractor',
  id: 'test/stft-energy',
  schema: anySchema(),
  create: (options) => energyExtractor(options),
};

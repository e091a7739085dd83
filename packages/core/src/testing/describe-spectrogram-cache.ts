import { describeConformance } from './describe-conformance';
import { type SpectrogramCacheSuiteOptions, spectrogramCacheCases } from './spectrogram-cache-cases';

/**
 * The conformance suite every `SpectrogramCache` runs, unmodified, as vitest tests (the cases are
 * `spectrogramCacheCases`; see there for what they check). Cases about optional members the cache
 * lacks (`keys`, `byteSize`) show as skipped with the reason.
 *
 * @example
 * describeSpectrogramCache('fsCache', { create: () => fsCache({ root: freshDir() }),
 *   reopen: (c) => fsCache(c.options as FsCacheOptions), entryBytes: (t) => 128 + 4 * t.data.length });
 */
export function describeSpectrogramCache(name: string, options: SpectrogramCacheSuiteOptions): void {
  describeConformance(`SpectrogramCache conformance: ${name}`, () => spectrogramCacheCases(options));
}

import type { CacheKey } from '../cache/cache-key';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { Tensor } from '../contracts/tensor';
import { cacheBookkeepingCases } from './cache-bookkeeping-cases';
import { cacheBoundaryCases } from './cache-boundary-cases';
import type { CacheCaseContext } from './cache-case-context';
import { cacheReopenCases } from './cache-reopen-cases';
import { cacheRoundTripCases } from './cache-round-trip-cases';
import { float32Bits } from './cache-tensors';
import { check } from './check';
import { type ConformanceCase, conformanceCase } from './conformance-case';

/** How a cache implementation plugs into `describeSpectrogramCache`. */
export interface SpectrogramCacheSuiteOptions {
  /** A new, empty cache over fresh storage (called once per case, and once to probe its members). */
  create(): SpectrogramCache | Promise<SpectrogramCache>;
  /** A new instance over the same storage as `cache` (e.g. same root); enables the reopen cases. */
  reopen?(cache: SpectrogramCache): SpectrogramCache | Promise<SpectrogramCache>;
  /** Storage precision: 'float16' caches are checked on values float16 holds exactly. Default 'float32'. */
  storage?: 'float32' | 'float16';
  /**
   * The cache's documented accounting: bytes `byteSize()` counts for one entry. When given, byteSize
   * must equal the sum exactly; otherwise it must be additive (0 when empty, n equal entries cost n times one).
   */
  entryBytes?(tensor: Tensor, key: CacheKey): number;
}

/**
 * The cases of the `SpectrogramCache` conformance suite, as plain async functions (see
 * `describeSpectrogramCache`): contract fields, bit-exact round trip (±0, subnormals, ±inf, NaN
 * payloads with float32 storage), missing keys, has/delete, keys, overwrite, no aliasing of the
 * input, concurrent puts to one key, what `put` resolves to, byteSize accounting, hostile keys
 * stopped by core's cache boundary before they reach the cache, bad tensors, and (with `reopen`)
 * persistence. Cases about the optional `keys()`, `byteSize()` and `removeStrays()` are marked not
 * applicable when the cache lacks them (decided from a probe instance's members).
 */
export async function spectrogramCacheCases(
  options: SpectrogramCacheSuiteOptions,
): Promise<ConformanceCase[]> {
  const storage = options.storage ?? 'float32';
  const probe = await options.create();
  const hasKeys = typeof probe.keys === 'function';
  const hasByteSize = typeof probe.byteSize === 'function';
  const hasRemoveStrays = typeof probe.removeStrays === 'function';
  await probe.dispose?.();

  const expectSameTensor = (actual: Tensor | undefined, expected: Tensor, what = 'entry') => {
    check(actual, `${what} missing`).toBeDefined();
    check(actual!.data, `${what} data`).toBeInstanceOf(Float32Array);
    check(actual!.shape, `${what} shape`).toEqual(expected.shape);
    const a = float32Bits(actual!.data);
    const e = float32Bits(expected.data);
    if (storage === 'float32') {
      check(a, `${what} bits`).toEqual(e);
    } else {
      // float16 storage keeps NaN-ness, not float32 payloads.
      const canonical = (bits: number[]) =>
        bits.map((b) => (Number.isNaN(new Float32Array(new Uint32Array([b]).buffer)[0]) ? 'nan' : b));
      check(canonical(a), `${what} values`).toEqual(canonical(e));
    }
  };

  const cases: ConformanceCase[] = [];
  const ctx: CacheCaseContext = {
    options,
    storage,
    // Each case runs on a fresh cache; every instance it opened is disposed afterwards.
    add: (name, work, notApplicable) => {
      const run = async () => {
        const opened: SpectrogramCache[] = [];
        try {
          const cache = await options.create();
          opened.push(cache);
          await work(cache, opened);
        } finally {
          for (const cache of opened) await cache.dispose?.();
        }
      };
      cases.push(conformanceCase('cache', name, run, notApplicable));
    },
    expectSameTensor,
    noKeys: hasKeys ? undefined : 'no keys(): listing is optional',
    noByteSize: hasByteSize ? undefined : 'no byteSize(): accounting is optional',
  };
  cacheRoundTripCases(ctx);
  cacheBookkeepingCases(ctx, hasRemoveStrays ? undefined : 'no removeStrays(): cleaning up is optional');
  cacheBoundaryCases(ctx);
  cacheReopenCases(ctx);
  return cases;
}

import type { FeatureExtractor } from '../contracts/feature-extractor';
import type { MelOptions } from '../contracts/mel-params';
import { type ConformanceCase, conformanceCase } from './conformance-case';
import { type ExtractorCaseContext, whisper } from './extractor-case-context';
import { extractorContractCases } from './extractor-contract-cases';
import { loadGoldenFixtures } from './extractor-golden-fixtures';
import { extractorOutputCases } from './extractor-output-cases';
import { extractorPieceCases } from './extractor-piece-cases';
import { extractorStreamCases } from './extractor-stream-cases';
import type { FixtureReader } from './fixture-files';

/** How the suite makes the extractor under test and where it reads the golden fixtures. */
export interface FeatureExtractorSuiteOptions {
  /** Makes an extractor from user options; must throw (or reject with) `SpgConfigError` on bad ones. */
  create: (options: MelOptions) => FeatureExtractor | Promise<FeatureExtractor>;
  /**
   * Reads the golden fixture files (`index.json`, `golden.bin`) of `@spgdataset/golden-fixtures`:
   * its `/node` export's `goldenFixtureReader()` in Node, its `urlFixtureReader(url)` in a browser.
   */
  fixtures: FixtureReader;
}

/**
 * The cases of the `FeatureExtractor` conformance suite for log-mel extractors (DESIGN section 7),
 * as plain async functions: `describeFeatureExtractor` registers them with vitest, and
 * `runConformanceCases` runs them anywhere else (e.g. in a browser page). `extract` may return a
 * Promise; every case awaits it.
 *
 * The cases check: contract fields (`kind`, `id`, `version`, `features` = `{ rows: nMels,
 * sampleRate, hopLength }`, `params` = `resolveMelParams(options)` when declared, JSON `options` that
 * recreate the same extractor, an own `fingerprint()` = core `fingerprint({ id, version, params })`,
 * defaults spelled out keep the fingerprint); frame counts (`extractorFrameCount`) =
 * `floor(n / hopLength)` and the output shape `[nMels, frames]` for lengths around multiples of hop;
 * inputs of 1 .. nFft/2 samples that would give frames throw `SpgExtractorError` with code
 * `SPG_EXTRACTOR_INPUT_TOO_SHORT` (torch's reflect pad refuses them too) while inputs with zero
 * frames give an empty `[nMels, 0]` tensor; mel-major layout; finite output (with normalize on, a
 * constant input has std 0 and must give zeros, not NaN); bitwise determinism; A-B-A calls give
 * identical A (no state leaks between calls); the input is not mutated; accuracy against the float64
 * golden fixtures within `goldenCaseTolerance` (max abs ≤ 1e-4 / 4e-4 and p99.9 ≤ 3e-5 / 8e-5 with
 * normalize off / on, or 1.5x torch float32's own error on that case when larger); every parameter
 * moves the fingerprint; invalid parameters are rejected with `SpgConfigError` naming the field;
 * `extract` after `dispose()` throws `SpgExtractorError` with code `SPG_EXTRACTOR_DISPOSED`; with
 * `stream`, every golden signal cut in chunks of 1 sample, primes, across the STFT overlap and at the
 * end gives exactly `extract`'s values; with `params` and a stream's `observe`, streams started at
 * a multiple of hop `ceil(nFft / 2 / hop)` frames early give the whole stream's frames from there on
 * and observed frames count toward `finish()` (what computing a long file in pieces relies on).
 * Cases about optional members (`params`, an own `fingerprint`, `dispose`) are marked not
 * applicable when the extractor lacks them.
 */
export async function featureExtractorCases(
  options: FeatureExtractorSuiteOptions,
): Promise<ConformanceCase[]> {
  const create = async (o: MelOptions) => await options.create(o);
  const golden = await loadGoldenFixtures(options.fixtures);
  // A probe decides which optional members the implementation has.
  const probe = await create(whisper);
  const probeStream = probe.stream?.();
  const hasObserve = typeof probeStream?.observe === 'function';
  if (probeStream) {
    probeStream.end();
    probeStream.finish();
  }
  const cases: ConformanceCase[] = [];
  const ctx: ExtractorCaseContext = {
    add: (group, name, run, notApplicable) => cases.push(conformanceCase(group, name, run, notApplicable)),
    create,
    extract: async (extractor: FeatureExtractor, mono: Float32Array) => await extractor.extract(mono),
    hasParams: probe.params !== undefined,
    hasFingerprint: typeof probe.fingerprint === 'function',
    hasDispose: typeof probe.dispose === 'function',
    hasStream: typeof probe.stream === 'function',
    hasObserve,
  };
  await probe.dispose?.();
  extractorContractCases(ctx);
  extractorOutputCases(ctx, golden);
  extractorStreamCases(ctx, golden);
  extractorPieceCases(ctx, golden);
  return cases;
}

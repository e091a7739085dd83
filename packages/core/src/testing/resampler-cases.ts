import type { Resampler } from '../contracts/resampler';
import { SpgConfigError } from '../errors/spg-config-error';
import { check, sameBits, thrown } from './check';
import { type ConformanceCase, conformanceCase } from './conformance-case';
import type { FixtureReader } from './fixture-files';
import { loadResampleFixtures } from './resample-fixtures';
import { resamplerBounds } from './resampler-bounds';
import { resamplerQualityCases } from './resampler-quality-cases';
import { resamplerStreamCases } from './resampler-stream-cases';
import { noise } from './test-signals';

/** How the suite makes the resampler under test and where it reads the reference fixtures. */
export interface ResamplerSuiteOptions {
  /** Makes the resampler (called once per case, and once to probe its optional members). */
  create: () => Resampler | Promise<Resampler>;
  /**
   * Reads `resample-index.json` and `resample.bin` of `@spgdataset/golden-fixtures`: its `/node`
   * export's `goldenFixtureReader()` in Node, its `urlFixtureReader(url)` in a browser.
   */
  fixtures: FixtureReader;
}

/** Adds a case that runs on a fresh resampler (disposed afterwards). */
export type AddResamplerCase = (
  group: string,
  name: string,
  run: (r: Resampler) => void | Promise<void>,
  notApplicable?: string,
) => void;

/**
 * The resampler conformance cases (run by `describeResampler`, or by `runConformanceCases` in a
 * browser): quality (passband level and phase, stopband or images), alignment, the length rule,
 * zeros outside the signal, the float64 reference fixtures, equal rates, input handling and errors;
 * when the resampler has `stream()`, streamed output equals the whole-array output bit for bit for
 * chunks of 1, primes, random sizes and the whole signal.
 */
export async function resamplerCases(options: ResamplerSuiteOptions): Promise<ConformanceCase[]> {
  const probe = await options.create();
  const streams = typeof probe.stream === 'function';
  await probe.dispose?.();
  const cases: ConformanceCase[] = [];
  const add: AddResamplerCase = (group, name, run, notApplicable) => {
    const body = async () => {
      const resampler = await options.create();
      try {
        await run(resampler);
      } finally {
        await resampler.dispose?.();
      }
    };
    cases.push(conformanceCase(group, name, body, notApplicable));
  };

  add('contract', 'is a resampler with an id, JSON options and (if any) a whole numerics version', (r) => {
    check(r.kind).toBe('resampler');
    check(r.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
    check(JSON.parse(JSON.stringify(r.options)), 'options after a JSON round trip').toEqual(r.options);
    if (r.version !== undefined) check(Number.isInteger(r.version) && r.version >= 0, 'version').toBe(true);
  });

  resamplerQualityCases(add);

  add(
    'reference fixtures',
    `matches the float64 reference resampler within ${resamplerBounds.referenceMaxAbs} (numpy fixtures)`,
    async (r) => {
      const fixtures = await loadResampleFixtures(options.fixtures);
      check(fixtures.length, 'fixture cases').toBeGreaterThanOrEqual(18);
      for (const c of fixtures) {
        const y = r.resample(c.signal, c.fromRate, c.toRate);
        check(y.length, `${c.name} length`).toBe(c.expected.length);
        let worst = 0;
        for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(y[i]! - c.expected[i]!));
        check(worst, `${c.name} max abs error`).toBeLessThanOrEqual(
          resamplerBounds.referenceMaxAbs * Math.max(1, c.peak),
        );
      }
    },
  );

  add(
    'inputs and errors',
    'returns the input itself when the rates match, and an empty output for an empty input',
    (r) => {
      const x = noise(100, 3);
      check(r.resample(x, 16000, 16000) === x, 'same array back for equal rates').toBe(true);
      check(r.resample(new Float32Array(0), 44100, 16000).length).toBe(0);
      check(r.resample(new Float32Array(0), 8000, 16000).length).toBe(0);
    },
  );

  add('inputs and errors', 'does not mutate its input and keeps no state between calls', (r) => {
    const a = noise(5000, 7);
    const b = noise(9000, 8);
    const copy = a.slice();
    const first = r.resample(a, 44100, 16000);
    r.resample(b, 44100, 16000);
    r.resample(b, 8000, 16000);
    const again = r.resample(a, 44100, 16000);
    check(a, 'input after the calls').toEqual(copy);
    check(sameBits(first, again), 'A-B-A: the second A equals the first bit for bit').toBe(true);
  });

  add(
    'inputs and errors',
    'rejects rates that are not positive whole numbers with SpgConfigError naming them',
    async (r) => {
      const paths = async (work: () => unknown) => {
        const error = await thrown(work);
        check(SpgConfigError.isInstance(error), `SpgConfigError, got ${String(error)}`).toBe(true);
        return (error as SpgConfigError).issues.map((i) => i.path);
      };
      check(await paths(() => r.resample(new Float32Array(4), 0, 16000))).toEqual(['fromRate']);
      check(await paths(() => r.resample(new Float32Array(4), 16000, 22050.5))).toEqual(['toRate']);
      check(await paths(() => r.resample(new Float32Array(4), -8000, -8000))).toEqual(['fromRate']);
    },
  );

  resamplerStreamCases(add, streams ? undefined : 'no stream(): streaming is optional');
  return cases;
}

import { resolveMelParams } from '../config/mel-options-schema';
import type { FeatureExtractor } from '../contracts/feature-extractor';
import type { MelOptions, MelParams } from '../contracts/mel-params';
import type { Tensor } from '../contracts/tensor';
import { SpgConfigError } from '../errors/spg-config-error';
import { SpgExtractorError } from '../errors/spg-extractor-error';
import { extractorFingerprint } from '../extractor/extractor-fingerprint';
import { extractorFrameCount } from '../extractor/extractor-frame-count';
import { fingerprint } from '../fingerprint/fingerprint';
import { check, thrown } from './check';
import type { ConformanceCase } from './conformance-case';
import {
  type FixtureReader,
  type GoldenCase,
  type GoldenTolerance,
  goldenErrorStats,
  loadGoldenFixtures,
} from './extractor-golden-fixtures';

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
 * Accuracy every extractor must meet against the float64 golden fixtures (the dsp-wasm issue
 * bounds, in the range of torch float32, the seed's own computation). The principle: on any signal,
 * no worse than torch float32 is — so a case where torch float32 itself is further off (recorded in
 * the fixture index) allows 1.5x torch's own error instead.
 */
export const extractorAccuracyBounds: Record<'normalizeOff' | 'normalizeOn', GoldenTolerance> = {
  normalizeOff: { maxAbs: 1e-4, p999: 3e-5 },
  normalizeOn: { maxAbs: 4e-4, p999: 8e-5 },
};

/** Error code an extractor throws when input is too short for the reflect pad (torch refuses too). */
export const EXTRACTOR_INPUT_TOO_SHORT = 'SPG_EXTRACTOR_INPUT_TOO_SHORT';
/** Error code an extractor throws when used after `dispose()`. */
export const EXTRACTOR_DISPOSED = 'SPG_EXTRACTOR_DISPOSED';

/** The tolerance the suite applies to one golden case. */
export function goldenCaseTolerance(c: GoldenCase): GoldenTolerance {
  const bound = c.params.normalize
    ? extractorAccuracyBounds.normalizeOn
    : extractorAccuracyBounds.normalizeOff;
  return {
    maxAbs: Math.max(bound.maxAbs, 1.5 * c.torchFloat32.maxAbs),
    p999: Math.max(bound.p999, 1.5 * c.torchFloat32.p999),
  };
}

const whisper: MelOptions = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 };
/** nFft = 2 * 97: exercises a large prime factor (Bluestein or a generic odd radix). */
const oddFactor: MelOptions = { sampleRate: 8000, nFft: 194, hopLength: 80, nMels: 40, normalize: true };

/** Deterministic test signal (xorshift noise plus two tones); never depends on the code under test. */
function testSignal(length: number, seed = 1, amplitude = 0.3): Float32Array {
  const out = new Float32Array(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const noise = state / 4294967296 - 0.5;
    out[i] = amplitude * (0.5 * noise + 0.3 * Math.sin(0.07 * i) + 0.2 * Math.sin(0.61 * i + seed));
  }
  return out;
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
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
 * `extract` after `dispose()` throws `SpgExtractorError` with code `SPG_EXTRACTOR_DISPOSED`.
 * Cases about optional members (`params`, an own `fingerprint`, `dispose`) are marked not
 * applicable when the extractor lacks them.
 */
export async function featureExtractorCases(
  options: FeatureExtractorSuiteOptions,
): Promise<ConformanceCase[]> {
  const create = async (o: MelOptions) => await options.create(o);
  const extract = async (extractor: FeatureExtractor, mono: Float32Array): Promise<Tensor> =>
    await extractor.extract(mono);
  const golden = await loadGoldenFixtures(options.fixtures);
  // A probe decides which optional members the implementation has.
  const probe = await create(whisper);
  const hasParams = probe.params !== undefined;
  const hasFingerprint = typeof probe.fingerprint === 'function';
  const hasDispose = typeof probe.dispose === 'function';
  await probe.dispose?.();

  const cases: ConformanceCase[] = [];
  const add = (group: string, name: string, run: () => Promise<void>, notApplicable?: string) =>
    cases.push(notApplicable === undefined ? { group, name, run } : { group, name, run, notApplicable });

  add('contract', 'has kind, id, numerics version and declared features', async () => {
    const extractor = await create(whisper);
    check(extractor.kind).toBe('extractor');
    check(extractor.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
    check(Number.isInteger(extractor.version) && extractor.version >= 1, 'version').toBe(true);
    const { rows, sampleRate, hopLength } = extractor.features;
    check({ rows, sampleRate, hopLength }, 'features').toEqual({
      rows: 80,
      sampleRate: 16000,
      hopLength: 160,
    });
  });

  add(
    'contract',
    'declares resolved mel params',
    async () => {
      const extractor = await create(whisper);
      check(extractor.params).toEqual(resolveMelParams(whisper));
      check(extractor.params).toEqual({
        sampleRate: 16000,
        nFft: 400,
        hopLength: 160,
        nMels: 80,
        fMin: 0,
        fMax: 8000,
        normalize: false,
        htk: false,
      });
    },
    hasParams ? undefined : 'no params: the extractor declares no mel parameters',
  );

  add('contract', 'keeps JSON options that recreate the same extractor', async () => {
    const given: MelOptions = { ...oddFactor, fMin: 20, fMax: 3900, htk: true };
    const extractor = await create(given);
    const json = JSON.parse(JSON.stringify(extractor.options)) as MelOptions;
    check(json, 'options after a JSON round trip').toEqual(extractor.options);
    const again = await create(json);
    check(again.params, 'params').toEqual(extractor.params);
    check({ ...again.features }, 'features').toEqual({ ...extractor.features });
    check(extractorFingerprint(again), 'fingerprint').toBe(extractorFingerprint(extractor));
    const signal = testSignal(2000, 3);
    const same = sameBits((await extract(again, signal)).data, (await extract(extractor, signal)).data);
    check(same, 'output of the recreated extractor is bit-identical').toBe(true);
  });

  add(
    'contract',
    'fingerprint() is core fingerprint({ id, version, params })',
    async () => {
      const extractor = await create(whisper);
      const { id, version, params } = extractor;
      check(extractor.fingerprint!()).toBe(fingerprint({ id, version, params }));
    },
    !hasFingerprint
      ? "no fingerprint(): core's default fingerprint({ id, version, options, features }) applies"
      : !hasParams
        ? 'no params to fingerprint'
        : undefined,
  );

  add('contract', 'keeps the fingerprint when default options are spelled out', async () => {
    const extractor = await create(whisper);
    // Defaults spelled out give the same params, hence the same fingerprint.
    const explicit = await create({ ...whisper, fMin: 0, fMax: 8000, normalize: false, htk: false });
    check(extractorFingerprint(explicit)).toBe(extractorFingerprint(extractor));
  });

  const shapes = 'frame counts and shapes';
  for (const base of [whisper, oddFactor]) {
    const label = `nFft ${base.nFft}, hop ${base.hopLength}`;
    add(shapes, `gives floor(n / hop) frames, mel-major, around multiples of hop (${label})`, async () => {
      const extractor = await create(base);
      const hop = base.hopLength;
      const half = Math.floor(base.nFft / 2);
      const lengths = new Set<number>();
      for (let k = 1; k <= 8; k++) for (const d of [-1, 0, 1]) lengths.add(k * hop + d);
      lengths.add(half + 1);
      lengths.add(base.nFft);
      lengths.add(base.nFft * 3 + 17);
      for (const n of [...lengths].filter((n) => n > half).sort((a, b) => a - b)) {
        const frames = Math.floor(n / hop);
        check(extractorFrameCount(extractor, n), `frameCount(${n})`).toBe(frames);
        const tensor = await extract(extractor, testSignal(n, n));
        check(tensor.shape, `shape for ${n} samples`).toEqual([base.nMels, frames]);
        check(tensor.data, `data for ${n} samples`).toBeInstanceOf(Float32Array);
        check(tensor.data.length, `data length for ${n} samples`).toBe(base.nMels * frames);
      }
    });

    add(shapes, `handles inputs up to nFft/2 samples (${label})`, async () => {
      const extractor = await create(base);
      const half = Math.floor(base.nFft / 2);
      for (let n = 0; n <= half; n += n < 3 ? 1 : 7) {
        const frames = Math.floor(n / base.hopLength);
        check(extractorFrameCount(extractor, n), `frameCount(${n})`).toBe(frames);
        if (frames === 0) {
          const tensor = await extract(extractor, testSignal(n));
          check(tensor.shape, `shape for ${n} samples`).toEqual([base.nMels, 0]);
          check(tensor.data.length, `data length for ${n} samples`).toBe(0);
        } else {
          const error = await thrown(() => extractor.extract(testSignal(n)));
          check(SpgExtractorError.isInstance(error), `${n} samples: ${String(error)}`).toBe(true);
          check((error as SpgExtractorError).code, `${n} samples: code`).toBe(EXTRACTOR_INPUT_TOO_SHORT);
          check((error as Error).message, `${n} samples: message`).toContain(String(n));
        }
      }
    });
  }

  add(shapes, 'lays out the output mel-major: [nMels, frames]', async () => {
    const extractor = await create(whisper);
    // 300 Hz for the first half second, 5 kHz for the second half.
    const n = 16000;
    const signal = new Float32Array(n);
    for (let i = 0; i < n; i++)
      signal[i] = 0.5 * Math.sin((2 * Math.PI * (i < n / 2 ? 300 : 5000) * i) / 16000);
    const { data, shape } = await extract(extractor, signal);
    const [mels, frames] = shape as [number, number];
    const loudestMel = (t: number) => {
      let best = 0;
      for (let m = 1; m < mels; m++) if (data[m * frames + t]! > data[best * frames + t]!) best = m;
      return best;
    };
    // Slaney scale, 0-8 kHz over 80 bands (centres 0.559 mel apart): 300 Hz = 4.5 mel -> band ~7;
    // 5 kHz = 38.4 mel -> band ~68.
    check(loudestMel(10), 'loudest band at 300 Hz').toBeGreaterThan(4);
    check(loudestMel(10), 'loudest band at 300 Hz').toBeLessThan(11);
    check(loudestMel(90), 'loudest band at 5 kHz').toBeGreaterThan(64);
    check(loudestMel(90), 'loudest band at 5 kHz').toBeLessThan(72);
  });

  add('values', 'gives finite output for silence, DC, full scale, loud and tiny inputs', async () => {
    const n = 4000;
    const inputs: Record<string, Float32Array> = {
      zeros: new Float32Array(n),
      dc: new Float32Array(n).fill(0.5),
      square: new Float32Array(n).map((_, i) => (i % 40 < 20 ? 1 : -1)),
      loud: testSignal(n, 5, 1000),
      tiny: testSignal(n, 6, 1e-30),
      impulse: new Float32Array(n).map((_, i) => (i === 1234 ? 1 : 0)),
    };
    for (const normalize of [false, true]) {
      const extractor = await create({ ...whisper, normalize });
      for (const [kind, signal] of Object.entries(inputs)) {
        const { data } = await extract(extractor, signal);
        check(data.length, `${kind}, normalize ${normalize}: length`).toBe(80 * 25);
        check(
          data.every((x) => Number.isFinite(x)),
          `${kind}, normalize ${normalize}: all finite`,
        ).toBe(true);
      }
      const zeros = (await extract(extractor, inputs.zeros!)).data;
      if (normalize) {
        // A constant spectrogram has std 0: the normalised output is S - mean = 0, not NaN.
        check(
          zeros.every((x) => x === 0),
          'silence with normalize gives zeros',
        ).toBe(true);
      } else {
        // All-zero power hits the 1e-10 floor: (log10(1e-10) + 4) / 4 = -1.5 everywhere.
        check(
          zeros.every((x) => x === -1.5),
          'silence gives -1.5 everywhere',
        ).toBe(true);
      }
    }
  });

  add('values', 'is bitwise deterministic, across calls and instances', async () => {
    for (const base of [whisper, oddFactor]) {
      const first = await create(base);
      const second = await create(base);
      const signal = testSignal(9000, 7);
      const a = (await extract(first, signal)).data;
      check(sameBits((await extract(first, signal)).data, a), 'same instance, second call').toBe(true);
      check(sameBits((await extract(second, signal)).data, a), 'second instance').toBe(true);
    }
  });

  add('values', 'keeps no state between calls (A-B-A, longer and shorter B)', async () => {
    for (const normalize of [false, true]) {
      const extractor = await create({ ...whisper, normalize });
      const a = testSignal(8000, 11);
      const first = await extract(extractor, a);
      await extract(extractor, testSignal(48000, 12, 3));
      check(sameBits((await extract(extractor, a)).data, first.data), 'A after a longer B').toBe(true);
      await extract(extractor, testSignal(1000, 13, 1e-3));
      const third = await extract(extractor, a);
      check(third.shape, 'shape of A after a shorter B').toEqual(first.shape);
      check(sameBits(third.data, first.data), 'A after a shorter B').toBe(true);
      // Returned tensors are owned by the caller: a later call must not overwrite them.
      check(third.data, 'array of the third call').not.toBe(first.data);
    }
  });

  add('values', 'does not mutate its input', async () => {
    const extractor = await create({ ...whisper, normalize: true });
    const signal = testSignal(5000, 17);
    const copy = signal.slice();
    await extract(extractor, signal);
    check(sameBits(signal, copy), 'input unchanged').toBe(true);
    // A view into a larger buffer (non-zero byteOffset) works and stays untouched too.
    const backing = testSignal(6000, 18);
    const before = backing.slice();
    const view = backing.subarray(500, 5500);
    check((await extract(extractor, view)).shape, 'shape for a view').toEqual([80, Math.floor(5000 / 160)]);
    check(sameBits(backing, before), 'buffer behind the view unchanged').toBe(true);
  });

  const accuracy = 'accuracy against the float64 golden fixtures';
  add(accuracy, 'has the expected fixture matrix (7 parameter sets, odd n_fft among them)', async () => {
    check(golden.length, 'golden cases').toBe(84);
    const oddSizes = new Set(golden.filter((c) => c.params.nFft % 2 === 1).map((c) => c.params.nFft));
    check([...oddSizes], 'odd nFft sizes').toEqual([401, 375]);
  });
  for (const c of golden) {
    const tolerance = goldenCaseTolerance(c);
    const name = `${c.name}: max abs <= ${tolerance.maxAbs.toPrecision(2)}, p99.9 <= ${tolerance.p999.toPrecision(2)}`;
    add(accuracy, name, async () => {
      const extractor = await create(c.params);
      const tensor = await extract(extractor, c.signal);
      check(tensor.shape, 'shape').toEqual(c.shape);
      const stats = goldenErrorStats(tensor.data, c.expected);
      check(stats.maxAbs, 'max abs error').toBeLessThanOrEqual(tolerance.maxAbs);
      check(stats.p999, 'p99.9 error').toBeLessThanOrEqual(tolerance.p999);
    });
  }

  const validation = 'fingerprint and validation';
  add(validation, 'moves the fingerprint with every parameter', async () => {
    const base: MelParams = {
      sampleRate: 16000,
      nFft: 400,
      hopLength: 160,
      nMels: 80,
      fMin: 0,
      fMax: 8000,
      normalize: false,
      htk: false,
    };
    const changed: Record<keyof MelParams, Partial<MelParams>> = {
      sampleRate: { sampleRate: 22050 },
      nFft: { nFft: 512 },
      hopLength: { hopLength: 200 },
      nMels: { nMels: 64 },
      fMin: { fMin: 20 },
      fMax: { fMax: 7600 },
      normalize: { normalize: true },
      htk: { htk: true },
    };
    const reference = await create(base);
    // Every field of the resolved params is covered, so a new field cannot be forgotten here.
    const fields = Object.keys(reference.params ?? resolveMelParams(base)).sort();
    check(Object.keys(changed).sort(), 'parameters covered').toEqual(fields);
    const seen = new Set([extractorFingerprint(reference)]);
    for (const [field, change] of Object.entries(changed)) {
      const other = await create({ ...base, ...change });
      if (other.params)
        check(other.params[field as keyof MelParams], `params.${field}`).toEqual(
          change[field as keyof MelParams],
        );
      const print = extractorFingerprint(other);
      check(seen.has(print), `fingerprint must change with ${field}`).toBe(false);
      seen.add(print);
    }
    check(extractorFingerprint(await create(base)), 'fingerprint of equal options').toBe(
      extractorFingerprint(reference),
    );
  });

  const invalid: [string, Record<string, unknown>][] = [
    ['sampleRate', { ...whisper, sampleRate: 0 }],
    ['sampleRate', { ...whisper, sampleRate: 16000.5 }],
    ['nFft', { ...whisper, nFft: 1 }],
    ['nFft', { ...whisper, nFft: '400' }],
    ['hopLength', { ...whisper, hopLength: 0 }],
    ['hopLength', { ...whisper, hopLength: 401 }],
    ['nMels', { ...whisper, nMels: 0 }],
    ['nMels', { ...whisper, nMels: 202 }],
    ['fMin', { ...whisper, fMin: -1 }],
    ['fMin', { ...whisper, fMin: 8000 }],
    ['fMax', { ...whisper, fMax: 8001 }],
    ['normalize', { ...whisper, normalize: 'yes' }],
    ['htk', { ...whisper, htk: 1 }],
    ['nfft', { ...whisper, nfft: 400 }],
  ];
  for (const [field, bad] of invalid) {
    add(validation, `rejects ${JSON.stringify(bad)} with SpgConfigError naming ${field}`, async () => {
      const error = await thrown(() => create(bad as MelOptions));
      check(SpgConfigError.isInstance(error), String(error)).toBe(true);
      const issues = (error as SpgConfigError).issues;
      check(
        issues.map((i) => i.path),
        'issue paths',
      ).toContain(field);
      check((error as Error).message, 'message').toContain(field);
    });
  }

  add(
    'dispose',
    'throws SpgExtractorError when used after dispose()',
    async () => {
      const extractor = await create(whisper);
      const signal = testSignal(4000);
      check((await extract(extractor, signal)).shape, 'shape before dispose').toEqual([80, 25]);
      await extractor.dispose!();
      const error = await thrown(() => extractor.extract(signal));
      check(SpgExtractorError.isInstance(error), String(error)).toBe(true);
      check((error as SpgExtractorError).code, 'code').toBe(EXTRACTOR_DISPOSED);
      // Disposing twice is harmless.
      await extractor.dispose!();
    },
    hasDispose ? undefined : 'no dispose(): the extractor holds nothing to release',
  );

  return cases;
}

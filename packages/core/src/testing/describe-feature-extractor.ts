import { describe, expect, it } from 'vitest';
import { resolveMelParams } from '../config/mel-options-schema';
import type { FeatureExtractor } from '../contracts/feature-extractor';
import type { MelOptions, MelParams } from '../contracts/mel-params';
import { SpgConfigError } from '../errors/spg-config-error';
import { SpgExtractorError } from '../errors/spg-extractor-error';
import { fingerprint } from '../fingerprint/fingerprint';
import {
  type GoldenCase,
  type GoldenTolerance,
  goldenErrorStats,
  loadGoldenFixtures,
} from './extractor-golden-fixtures';

/** How the suite makes the extractor under test. */
export interface FeatureExtractorSuiteOptions {
  /** Makes an extractor from user options; must throw (or reject with) `SpgConfigError` on bad ones. */
  create: (options: MelOptions) => FeatureExtractor | Promise<FeatureExtractor>;
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

async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * The conformance suite every `FeatureExtractor` runs (DESIGN section 7), unmodified:
 *
 * ```ts
 * // packages/<yours>/test/conformance.test.ts
 * import { describeFeatureExtractor } from '@spgdataset/core/testing';
 * import { myMelExtractor } from '../src/index';
 * describeFeatureExtractor('my-extractor', { create: (options) => myMelExtractor(options) });
 * ```
 *
 * It checks: contract fields (`kind`, `id`, `version`, `params` = `resolveMelParams(options)`,
 * JSON `options` that recreate the same extractor, `fingerprint()` = core
 * `fingerprint({ id, version, params })`); `frameCount(n) = floor(n / hopLength)` and the output
 * shape `[nMels, frameCount(n)]` for lengths around multiples of hop; inputs of 1 ..
 * nFft/2 samples that would give frames throw `SpgExtractorError` with code
 * `SPG_EXTRACTOR_INPUT_TOO_SHORT` (torch's reflect pad refuses them too) while inputs with zero
 * frames give an empty `[nMels, 0]` tensor; mel-major layout; finite output (with normalize on, a
 * constant input has std 0 and must give zeros, not NaN); bitwise determinism; A-B-A calls give
 * identical A (no state leaks between calls); the input is not mutated; accuracy against the float64
 * golden fixtures within `goldenCaseTolerance` (max abs ≤ 1e-4 / 4e-4 and p99.9 ≤ 3e-5 / 8e-5 with
 * normalize off / on, or 1.5x torch float32's own error on that case when larger); every parameter
 * moves `fingerprint()`; invalid parameters are rejected with `SpgConfigError` naming the field;
 * `extract` after `dispose()` throws `SpgExtractorError` with code `SPG_EXTRACTOR_DISPOSED`.
 *
 * It reads the committed fixtures in `@spgdataset/core/fixtures/golden` with `node:fs`, so it runs
 * in Node (vitest); the extractor under test may still be browser-neutral.
 */
export function describeFeatureExtractor(name: string, options: FeatureExtractorSuiteOptions): void {
  const create = async (o: MelOptions) => await options.create(o);

  describe(`${name}: FeatureExtractor conformance`, () => {
    describe('contract', () => {
      it('has kind, id, numerics version and resolved params', async () => {
        const extractor = await create(whisper);
        expect(extractor.kind).toBe('extractor');
        expect(extractor.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
        expect(Number.isInteger(extractor.version) && extractor.version >= 1).toBe(true);
        expect(extractor.params).toEqual(resolveMelParams(whisper));
        expect(extractor.params).toEqual({
          sampleRate: 16000,
          nFft: 400,
          hopLength: 160,
          nMels: 80,
          fMin: 0,
          fMax: 8000,
          normalize: false,
          htk: false,
        });
      });

      it('keeps JSON options that recreate the same extractor', async () => {
        const given: MelOptions = { ...oddFactor, fMin: 20, fMax: 3900, htk: true };
        const extractor = await create(given);
        const json = JSON.parse(JSON.stringify(extractor.options)) as MelOptions;
        expect(json).toEqual(extractor.options);
        const again = await create(json);
        expect(again.params).toEqual(extractor.params);
        expect(again.fingerprint()).toBe(extractor.fingerprint());
        const signal = testSignal(2000, 3);
        expect(sameBits(again.extract(signal).data, extractor.extract(signal).data)).toBe(true);
      });

      it('fingerprints id, version and params with core fingerprint()', async () => {
        const extractor = await create(whisper);
        const { id, version, params } = extractor;
        expect(extractor.fingerprint()).toBe(fingerprint({ id, version, params }));
        // Defaults spelled out give the same params, hence the same fingerprint.
        const explicit = await create({ ...whisper, fMin: 0, fMax: 8000, normalize: false, htk: false });
        expect(explicit.fingerprint()).toBe(extractor.fingerprint());
      });
    });

    describe('frame counts and shapes', () => {
      for (const base of [whisper, oddFactor]) {
        const label = `nFft ${base.nFft}, hop ${base.hopLength}`;
        it(`gives floor(n / hop) frames, mel-major, around multiples of hop (${label})`, async () => {
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
            expect(extractor.frameCount(n), `frameCount(${n})`).toBe(frames);
            const tensor = extractor.extract(testSignal(n, n));
            expect(tensor.shape, `shape for ${n} samples`).toEqual([base.nMels, frames]);
            expect(tensor.data).toBeInstanceOf(Float32Array);
            expect(tensor.data.length).toBe(base.nMels * frames);
          }
        });

        it(`handles inputs up to nFft/2 samples (${label})`, async () => {
          const extractor = await create(base);
          const half = Math.floor(base.nFft / 2);
          for (let n = 0; n <= half; n += n < 3 ? 1 : 7) {
            const frames = Math.floor(n / base.hopLength);
            expect(extractor.frameCount(n), `frameCount(${n})`).toBe(frames);
            if (frames === 0) {
              const tensor = extractor.extract(testSignal(n));
              expect(tensor.shape, `shape for ${n} samples`).toEqual([base.nMels, 0]);
              expect(tensor.data.length).toBe(0);
            } else {
              const error = await thrown(() => extractor.extract(testSignal(n)));
              expect(SpgExtractorError.isInstance(error), `${n} samples: ${String(error)}`).toBe(true);
              expect((error as SpgExtractorError).code).toBe(EXTRACTOR_INPUT_TOO_SHORT);
              expect((error as Error).message).toContain(String(n));
            }
          }
        });
      }

      it('lays out the output mel-major: [nMels, frames]', async () => {
        const extractor = await create(whisper);
        // 300 Hz for the first half second, 5 kHz for the second half.
        const n = 16000;
        const signal = new Float32Array(n);
        for (let i = 0; i < n; i++)
          signal[i] = 0.5 * Math.sin((2 * Math.PI * (i < n / 2 ? 300 : 5000) * i) / 16000);
        const { data, shape } = extractor.extract(signal);
        const [mels, frames] = shape as [number, number];
        const loudestMel = (t: number) => {
          let best = 0;
          for (let m = 1; m < mels; m++) if (data[m * frames + t]! > data[best * frames + t]!) best = m;
          return best;
        };
        // Slaney scale, 0-8 kHz over 80 bands (centres 0.559 mel apart): 300 Hz = 4.5 mel -> band ~7;
        // 5 kHz = 38.4 mel -> band ~68.
        expect(loudestMel(10)).toBeGreaterThan(4);
        expect(loudestMel(10)).toBeLessThan(11);
        expect(loudestMel(90)).toBeGreaterThan(64);
        expect(loudestMel(90)).toBeLessThan(72);
      });
    });

    describe('values', () => {
      it('gives finite output for silence, DC, full scale, loud and tiny inputs', async () => {
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
            const { data } = extractor.extract(signal);
            expect(data.length).toBe(80 * 25);
            expect(
              data.every((x) => Number.isFinite(x)),
              `${kind}, normalize ${normalize}`,
            ).toBe(true);
          }
          if (normalize) {
            // A constant spectrogram has std 0: the normalised output is S - mean = 0, not NaN.
            expect(extractor.extract(inputs.zeros!).data.every((x) => x === 0)).toBe(true);
          } else {
            // All-zero power hits the 1e-10 floor: (log10(1e-10) + 4) / 4 = -1.5 everywhere.
            expect(extractor.extract(inputs.zeros!).data.every((x) => x === -1.5)).toBe(true);
          }
        }
      });

      it('is bitwise deterministic, across calls and instances', async () => {
        for (const base of [whisper, oddFactor]) {
          const first = await create(base);
          const second = await create(base);
          const signal = testSignal(9000, 7);
          const a = first.extract(signal).data;
          expect(sameBits(first.extract(signal).data, a)).toBe(true);
          expect(sameBits(second.extract(signal).data, a)).toBe(true);
        }
      });

      it('keeps no state between calls (A-B-A, longer and shorter B)', async () => {
        for (const normalize of [false, true]) {
          const extractor = await create({ ...whisper, normalize });
          const a = testSignal(8000, 11);
          const first = extractor.extract(a);
          extractor.extract(testSignal(48000, 12, 3));
          expect(sameBits(extractor.extract(a).data, first.data)).toBe(true);
          extractor.extract(testSignal(1000, 13, 1e-3));
          const third = extractor.extract(a);
          expect(third.shape).toEqual(first.shape);
          expect(sameBits(third.data, first.data)).toBe(true);
          // Returned tensors are owned by the caller: a later call must not overwrite them.
          expect(third.data).not.toBe(first.data);
        }
      });

      it('does not mutate its input', async () => {
        const extractor = await create({ ...whisper, normalize: true });
        const signal = testSignal(5000, 17);
        const copy = signal.slice();
        extractor.extract(signal);
        expect(sameBits(signal, copy)).toBe(true);
        // A view into a larger buffer (non-zero byteOffset) works and stays untouched too.
        const backing = testSignal(6000, 18);
        const before = backing.slice();
        const view = backing.subarray(500, 5500);
        expect(extractor.extract(view).shape).toEqual([80, Math.floor(5000 / 160)]);
        expect(sameBits(backing, before)).toBe(true);
      });
    });

    describe('accuracy against the float64 golden fixtures', () => {
      const cases = loadGoldenFixtures();
      it('has the expected fixture matrix (7 parameter sets, odd n_fft among them)', () => {
        expect(cases.length).toBe(84);
        const oddSizes = new Set(cases.filter((c) => c.params.nFft % 2 === 1).map((c) => c.params.nFft));
        expect([...oddSizes]).toEqual([401, 375]);
      });
      for (const c of cases) {
        const tolerance = goldenCaseTolerance(c);
        it(`${c.name}: max abs <= ${tolerance.maxAbs.toPrecision(2)}, p99.9 <= ${tolerance.p999.toPrecision(2)}`, async () => {
          const extractor = await create(c.params);
          const tensor = extractor.extract(c.signal);
          expect(tensor.shape).toEqual(c.shape);
          const stats = goldenErrorStats(tensor.data, c.expected);
          expect(stats.maxAbs).toBeLessThanOrEqual(tolerance.maxAbs);
          expect(stats.p999).toBeLessThanOrEqual(tolerance.p999);
        });
      }
    });

    describe('fingerprint and validation', () => {
      it('moves fingerprint() with every parameter', async () => {
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
        expect(Object.keys(changed).sort()).toEqual(Object.keys(reference.params).sort());
        const seen = new Set([reference.fingerprint()]);
        for (const [field, change] of Object.entries(changed)) {
          const other = await create({ ...base, ...change });
          expect(other.params[field as keyof MelParams]).toEqual(change[field as keyof MelParams]);
          expect(seen.has(other.fingerprint()), `fingerprint must change with ${field}`).toBe(false);
          seen.add(other.fingerprint());
        }
        expect((await create(base)).fingerprint()).toBe(reference.fingerprint());
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
        it(`rejects ${JSON.stringify(bad)} with SpgConfigError naming ${field}`, async () => {
          const error = await thrown(() => create(bad as MelOptions));
          expect(SpgConfigError.isInstance(error), String(error)).toBe(true);
          const issues = (error as SpgConfigError).issues;
          expect(issues.map((i) => i.path)).toContain(field);
          expect((error as Error).message).toContain(field);
        });
      }
    });

    describe('dispose', () => {
      it('throws SpgExtractorError when used after dispose()', async () => {
        const extractor = await create(whisper);
        const signal = testSignal(4000);
        expect(extractor.extract(signal).shape).toEqual([80, 25]);
        if (!extractor.dispose) {
          // Nothing to release: the extractor keeps working (and the contract's dispose is optional).
          expect(extractor.extract(signal).shape).toEqual([80, 25]);
          return;
        }
        await extractor.dispose();
        const error = await thrown(() => extractor.extract(signal));
        expect(SpgExtractorError.isInstance(error), String(error)).toBe(true);
        expect((error as SpgExtractorError).code).toBe(EXTRACTOR_DISPOSED);
        // Disposing twice is harmless.
        await extractor.dispose();
      });
    });
  });
}

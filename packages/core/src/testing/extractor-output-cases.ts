import { SpgExtractorError } from '../errors/spg-extractor-error';
import { extractorFrameCount } from '../extractor/extractor-frame-count';
import { check, sameBits, thrown } from './check';
import { type ExtractorCaseContext, oddFactor, whisper } from './extractor-case-context';
import { type GoldenCase, goldenErrorStats } from './extractor-golden-fixtures';
import { goldenCaseTolerance } from './golden-case-tolerance';
import { testSignal } from './test-signals';

/** Error code an extractor throws when input is too short for the reflect pad (torch refuses too). */
export const EXTRACTOR_INPUT_TOO_SHORT = 'SPG_EXTRACTOR_INPUT_TOO_SHORT';

/**
 * The feature extractor's output cases: frame counts and shapes (around hop multiples, and inputs
 * up to nFft/2), mel-major layout, finite values, bitwise determinism, no state between calls, the
 * input left alone, and accuracy against the float64 golden fixtures (`golden`).
 */
export function extractorOutputCases(ctx: ExtractorCaseContext, golden: readonly GoldenCase[]): void {
  const { add, create, extract } = ctx;
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
}

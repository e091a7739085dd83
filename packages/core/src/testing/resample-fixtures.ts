import type { FixtureReader } from './extractor-golden-fixtures';

/** One reference case: a float32 signal and its ideal band-limited resampling in float64. */
export interface ResampleFixture {
  /** e.g. `44100->16000-tones`. */
  name: string;
  fromRate: number;
  toRate: number;
  signal: Float32Array;
  expected: Float64Array;
  /** Largest |sample| of the signal. */
  peak: number;
}

interface Slice {
  offset: number;
  length: number;
}

interface ResampleIndex {
  binary: string;
  cases: { name: string; fromRate: number; toRate: number; signal: Slice; expected: Slice; peak: number }[];
}

const loaded = new WeakMap<FixtureReader, Promise<ResampleFixture[]>>();

/**
 * Loads the resampler reference cases (`resample-index.json`, `resample.bin` of
 * `@spgdataset/golden-fixtures`, made by `tools/resample-fixtures/generate.py` with numpy): an
 * ideal resampler (Kaiser-windowed sinc, +-1024 taps, about 140 dB, cut off at the lower Nyquist
 * frequency) in float64, on signals with no content between 0.9 x 0.95 and 1.1 x 1.05 x the lower
 * Nyquist frequency: 44.1, 48, 22.05, 96 and 32 kHz -> 16 kHz, 8 and 11.025 kHz -> 16 kHz,
 * 16 -> 44.1 kHz and 44.1 kHz -> 16001 Hz. Read once per reader.
 */
export function loadResampleFixtures(fixtures: FixtureReader): Promise<ResampleFixture[]> {
  let cases = loaded.get(fixtures);
  if (!cases) {
    cases = readResampleFixtures(fixtures);
    cases.catch(() => loaded.delete(fixtures));
    loaded.set(fixtures, cases);
  }
  return cases;
}

async function readResampleFixtures(fixtures: FixtureReader): Promise<ResampleFixture[]> {
  const index = JSON.parse(
    new TextDecoder().decode(await fixtures.read('resample-index.json')),
  ) as ResampleIndex;
  // Float64 views need an 8-byte-aligned buffer of their own (a Node Buffer may sit in a shared pool).
  const buffer = (await fixtures.read(index.binary)).slice().buffer;
  return index.cases.map((c) => ({
    name: c.name,
    fromRate: c.fromRate,
    toRate: c.toRate,
    signal: new Float32Array(buffer, c.signal.offset, c.signal.length),
    expected: new Float64Array(buffer, c.expected.offset, c.expected.length),
    peak: c.peak,
  }));
}

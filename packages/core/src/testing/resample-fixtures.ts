import { type FixtureReader, type FixtureSlice, oncePerReader, readFixtureFiles } from './fixture-files';

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

interface ResampleIndex {
  binary: string;
  cases: {
    name: string;
    fromRate: number;
    toRate: number;
    signal: FixtureSlice;
    expected: FixtureSlice;
    peak: number;
  }[];
}

const readResampleOnce = oncePerReader(async (fixtures): Promise<ResampleFixture[]> => {
  const { index, buffer } = await readFixtureFiles<ResampleIndex>(fixtures, 'resample-index.json');
  return index.cases.map((c) => ({
    name: c.name,
    fromRate: c.fromRate,
    toRate: c.toRate,
    signal: new Float32Array(buffer, c.signal.offset, c.signal.length),
    expected: new Float64Array(buffer, c.expected.offset, c.expected.length),
    peak: c.peak,
  }));
});

/**
 * Loads the resampler reference cases (`resample-index.json`, `resample.bin` of
 * `@spgdataset/golden-fixtures`, made by `tools/resample-fixtures/generate.py` with numpy): an
 * ideal resampler (Kaiser-windowed sinc, +-1024 taps, about 140 dB, cut off at the lower Nyquist
 * frequency) in float64, on signals with no content between 0.9 x 0.95 and 1.1 x 1.05 x the lower
 * Nyquist frequency: 44.1, 48, 22.05, 96 and 32 kHz -> 16 kHz, 8 and 11.025 kHz -> 16 kHz,
 * 16 -> 44.1 kHz and 44.1 kHz -> 16001 Hz. Read once per reader.
 */
export function loadResampleFixtures(fixtures: FixtureReader): Promise<ResampleFixture[]> {
  return readResampleOnce(fixtures);
}

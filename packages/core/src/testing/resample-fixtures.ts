import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

interface FixtureIndex {
  binary: string;
  cases: { name: string; fromRate: number; toRate: number; signal: Slice; expected: Slice; peak: number }[];
}

/** Directory of the committed resample fixtures (src/testing/ from source, dist/ when installed). */
function fixturesDirectory(): string {
  const here =
    typeof import.meta.url === 'string'
      ? dirname(fileURLToPath(import.meta.url))
      : // CommonJS build: esbuild leaves import.meta empty, __dirname is the dist folder.
        typeof __dirname === 'string'
        ? __dirname
        : '.';
  const candidates = [
    join(here, '..', '..', 'fixtures', 'resample'),
    join(here, '..', 'fixtures', 'resample'),
  ];
  const found = candidates.find((c) => existsSync(join(c, 'index.json')));
  if (!found) {
    throw new Error(
      `Resample fixtures not found (looked for index.json in ${candidates.join(', ')}); ` +
        'they ship in @spgdataset/core under fixtures/resample (regenerate with tools/resample-fixtures/generate.py).',
    );
  }
  return found;
}

let cached: ResampleFixture[] | undefined;

/**
 * Loads the reference cases computed by `tools/resample-fixtures/generate.py` (numpy, float64): an
 * ideal resampler (Kaiser-windowed sinc, +-1024 taps, ~140 dB) applied to signals with no content
 * between 0.9 x 0.95 and 1.1 x 1.05 x the lower Nyquist frequency, for 44.1, 48, 22.05, 96 and
 * 32 kHz -> 16 kHz, 8 and 11.025 kHz -> 16 kHz, 16 -> 44.1 kHz and 44.1 kHz -> 16001 Hz.
 */
export function loadResampleFixtures(): ResampleFixture[] {
  if (cached) return cached;
  const directory = fixturesDirectory();
  const index = JSON.parse(readFileSync(join(directory, 'index.json'), 'utf8')) as FixtureIndex;
  // Copy into a fresh, aligned buffer (a Node Buffer may sit at any offset of a shared pool).
  const buffer = new Uint8Array(readFileSync(join(directory, index.binary))).buffer;
  cached = index.cases.map((c) => ({
    name: c.name,
    fromRate: c.fromRate,
    toRate: c.toRate,
    signal: new Float32Array(buffer, c.signal.offset, c.signal.length),
    expected: new Float64Array(buffer, c.expected.offset, c.expected.length),
    peak: c.peak,
  }));
  return cached;
}

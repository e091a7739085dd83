import type { MelOptions } from '../contracts/mel-params';
import { type FixtureReader, type FixtureSlice, oncePerReader, readFixtureFiles } from './fixture-files';

/** How far torch float32 (the seed's own computation) is from the float64 reference on one case. */
export interface GoldenTolerance {
  maxAbs: number;
  /** 99.9th percentile of the absolute error (numpy's linear interpolation). */
  p999: number;
}

/** One golden case: a signal, the parameters, and the float64 reference log-mel (mel-major). */
export interface GoldenCase {
  /** e.g. `sr16000-nfft400-hop160-mels80-chirp-normalized`. */
  name: string;
  params: MelOptions;
  /** Signal kind: noise, tones, chirp, near-silence, short, speech-like. */
  signalKind: string;
  signal: Float32Array;
  /** `[nMels, frames]`. */
  shape: [number, number];
  /** Float64 numpy reference, mel-major. */
  expected: Float64Array;
  torchFloat32: GoldenTolerance;
}

interface GoldenIndex {
  binary: string;
  signals: Record<string, FixtureSlice & { sampleRate: number }>;
  cases: {
    name: string;
    params: MelOptions;
    signal: string;
    shape: [number, number];
    expected: FixtureSlice;
    torchFloat32: GoldenTolerance;
  }[];
}

const readGoldenOnce = oncePerReader(async (fixtures): Promise<GoldenCase[]> => {
  const { index, buffer } = await readFixtureFiles<GoldenIndex>(fixtures, 'index.json');
  return index.cases.map((c) => {
    const signal = index.signals[c.signal];
    if (!signal) throw new Error(`Golden case ${c.name} names a missing signal ${c.signal}`);
    return {
      name: c.name,
      params: c.params,
      signalKind: c.signal.split('/').at(-1) ?? c.signal,
      signal: new Float32Array(buffer, signal.offset, signal.length),
      shape: c.shape,
      expected: new Float64Array(buffer, c.expected.offset, c.expected.length),
      torchFloat32: c.torchFloat32,
    };
  });
});

/**
 * Loads every golden case (docs/behaviour.md#spectrogram, steps 3-6, computed by `tools/golden/generate.py`) through
 * `fixtures`: parameter sets (16000,400,160,80), (16000,400,160,64), (16000,512,160,128),
 * (32000,800,320,128), (22050,1024,256,80) and two with odd nFft, normalize off and on, signals
 * noise, tones, chirp, near-silence (1e-4), short (3/4 of nFft) and speech-like. Read once per reader.
 * The files ship in `@spgdataset/golden-fixtures` (its `/node` export reads them from disk; in a
 * browser, serve them and use its `urlFixtureReader`).
 */
export function loadGoldenFixtures(fixtures: FixtureReader): Promise<GoldenCase[]> {
  return readGoldenOnce(fixtures);
}

/** Max abs and 99.9th percentile (linear interpolation, as numpy) of `|actual - expected|`. */
export function goldenErrorStats(actual: ArrayLike<number>, expected: ArrayLike<number>): GoldenTolerance {
  const n = expected.length;
  if (actual.length !== n) throw new Error(`length ${actual.length} differs from expected ${n}`);
  if (n === 0) return { maxAbs: 0, p999: 0 };
  const diff = new Float64Array(n);
  for (let i = 0; i < n; i++) diff[i] = Math.abs(actual[i]! - expected[i]!);
  diff.sort();
  const position = 0.999 * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  const fraction = position - lower;
  const p999 = diff[lower]! + (diff[upper]! - diff[lower]!) * fraction;
  // NaN sorts last in a Float64Array, so a NaN anywhere makes maxAbs NaN and fails any bound.
  return { maxAbs: diff[n - 1]!, p999 };
}

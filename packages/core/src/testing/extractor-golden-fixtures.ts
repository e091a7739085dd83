import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MelOptions } from '../contracts/mel-params';

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

interface Slice {
  offset: number;
  length: number;
}

interface GoldenIndex {
  binary: string;
  signals: Record<string, Slice & { sampleRate: number }>;
  cases: {
    name: string;
    params: MelOptions;
    signal: string;
    shape: [number, number];
    expected: Slice;
    torchFloat32: GoldenTolerance;
  }[];
}

/**
 * Directory of the committed fixtures (`packages/core/fixtures/golden`), found relative to this
 * module: `src/testing/` when tests run core from source, `dist/` when core is installed.
 */
export function goldenFixturesDirectory(): string {
  const here =
    typeof import.meta.url === 'string'
      ? dirname(fileURLToPath(import.meta.url))
      : // CommonJS build: esbuild leaves import.meta empty, __dirname is the dist folder.
        typeof __dirname === 'string'
        ? __dirname
        : '.';
  const candidates = [join(here, '..', '..', 'fixtures', 'golden'), join(here, '..', 'fixtures', 'golden')];
  const found = candidates.find((c) => existsSync(join(c, 'index.json')));
  if (!found) {
    throw new Error(
      `Golden fixtures not found (looked for index.json in ${candidates.join(', ')}); ` +
        'they ship in @spgdataset/core under fixtures/golden (regenerate with tools/golden/generate.py).',
    );
  }
  return found;
}

let cached: GoldenCase[] | undefined;

/**
 * Loads every golden case (SPEC section 7, steps 3-6, computed by `tools/golden/generate.py`):
 * parameter sets (16000,400,160,80), (16000,400,160,64), (16000,512,160,128), (32000,800,320,128),
 * (22050,1024,256,80), normalize off and on, signals noise, tones, chirp, near-silence (1e-4),
 * short (3/4 of nFft) and speech-like. Read once per process.
 */
export function loadGoldenFixtures(): GoldenCase[] {
  if (cached) return cached;
  const directory = goldenFixturesDirectory();
  const index = JSON.parse(readFileSync(join(directory, 'index.json'), 'utf8')) as GoldenIndex;
  const bytes = readFileSync(join(directory, index.binary));
  // Copy into a fresh, aligned buffer (a Node Buffer may sit at any offset of a shared pool).
  const buffer = new Uint8Array(bytes).buffer;
  cached = index.cases.map((c) => {
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
  return cached;
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

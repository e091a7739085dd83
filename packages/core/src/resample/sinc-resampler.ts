import * as v from 'valibot';
import type { PluginDefinition } from '../contracts/plugin-definition';
import type { Resampler } from '../contracts/resampler';
import { SpgConfigError } from '../errors/spg-config-error';
import { besselI0, kaiserBeta, kaiserLength } from './kaiser-window';

/*
 * Why our own resampler: the contract is synchronous and must run in browsers. The maintained
 * libsamplerate port (@alexanderolsen/libsamplerate-js) creates converters asynchronously per rate
 * pair (WASM instantiation) and ships Emscripten glue that references Node's `fs`; its output
 * alignment is libsamplerate's, not ours to pin. Resampling is small, hot and part of the product
 * (timing must match the annotations), so it is a polyphase windowed-sinc filter here:
 *  - exact rational ratio: to/from = L/M reduced by their gcd, so output sample j sits exactly at
 *    input time j*M/L with phase (j*M mod L)/L, no drift over hours of audio;
 *  - one symmetric (zero-phase) Kaiser-windowed sinc, so nothing is shifted in time;
 *  - cutoff halfway between the passband edge (`passband` x the lower Nyquist) and the lower
 *    Nyquist itself, so everything above the new Nyquist is in the stopband;
 *  - a table of L phases x 2K taps computed once per rate pair and kept; each phase is normalised
 *    to unit DC gain. Past `maxPhases` phases (unusual rate pairs such as 44100 -> 16001) the table
 *    holds `maxPhases + 1` phases and coefficients are interpolated linearly between neighbours.
 * The hot loop allocates nothing per sample: one padded copy of the input and the output per call.
 */

/** Options of `sincResampler`. */
export interface SincResamplerOptions {
  /** Passband edge as a fraction of the lower Nyquist frequency (default 0.9 = 0.45 x the lower rate). */
  passband?: number;
  /** Stopband attenuation in dB from the lower Nyquist frequency up (default 80). */
  attenuationDb?: number;
}

const id = 'core/sinc';
const maxPhases = 4096;

const optionsSchema = v.strictObject({
  passband: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.gtValue(0, 'must be in (0, 1)'),
      v.ltValue(1, 'must be in (0, 1)'),
    ),
  ),
  attenuationDb: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.minValue(40, 'must be at least 40'),
      v.maxValue(180, 'must be at most 180'),
    ),
  ),
});

interface PolyphaseTable {
  /** Phases in the table: L when exact, else maxPhases + 1 (interpolated). */
  phases: number;
  exact: boolean;
  /** Taps per phase (2K). */
  taps: number;
  /** Half the taps (K): input samples of context on each side. */
  half: number;
  coefficients: Float64Array;
  up: number;
  down: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function makeTable(
  fromRate: number,
  toRate: number,
  passband: number,
  attenuationDb: number,
): PolyphaseTable {
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  // Frequencies in cycles per INPUT sample.
  const stop = Math.min(fromRate, toRate) / 2 / fromRate;
  const pass = passband * stop;
  const cutoff = (pass + stop) / 2;
  const length = kaiserLength(attenuationDb, stop - pass);
  const halfWidth = length / 2;
  const half = Math.ceil(halfWidth);
  const taps = 2 * half;
  const beta = kaiserBeta(attenuationDb);
  const i0Beta = besselI0(beta);
  const exact = up <= maxPhases;
  const phases = exact ? up : maxPhases + 1;
  const coefficients = new Float64Array(phases * taps);
  for (let p = 0; p < phases; p++) {
    const phi = exact ? p / up : p / maxPhases;
    let sum = 0;
    for (let i = 0; i < taps; i++) {
      // Tap i multiplies input sample base + (i - half + 1); tau is its distance from the output time.
      const tau = phi - (i - half + 1);
      const u = tau / halfWidth;
      if (Math.abs(u) > 1) continue;
      const x = 2 * cutoff * tau;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const window = besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta;
      const h = 2 * cutoff * sinc * window;
      coefficients[p * taps + i] = h;
      sum += h;
    }
    for (let i = 0; i < taps; i++) coefficients[p * taps + i]! /= sum;
  }
  return { phases, exact, taps, half, coefficients, up, down };
}

function checkRate(name: string, rate: number): void {
  if (!(Number.isInteger(rate) && rate > 0))
    throw new SpgConfigError([
      { path: name, message: `must be a positive whole number of Hz (got ${rate})` },
    ]);
}

function run(table: PolyphaseTable, input: Float32Array, outLength: number): Float32Array {
  const { taps, half, coefficients, up, down, exact } = table;
  // Zero context on both sides, so the inner loop has no bounds checks to make.
  const padded = new Float32Array(input.length + 2 * half);
  padded.set(input, half);
  const out = new Float32Array(outLength);
  const stepWhole = Math.floor(down / up);
  const stepPhase = down % up;
  let base = 0;
  let phase = 0;
  for (let j = 0; j < outLength; j++) {
    // Output j is at input time base + phase / up; tap i reads padded[base + 1 + i].
    const start = base + 1;
    let acc = 0;
    if (exact) {
      const row = phase * taps;
      for (let i = 0; i < taps; i++) acc += coefficients[row + i]! * padded[start + i]!;
    } else {
      const position = (phase * maxPhases) / up;
      const p0 = Math.floor(position);
      const t = position - p0;
      const row0 = p0 * taps;
      const row1 = row0 + taps;
      for (let i = 0; i < taps; i++) {
        const c0 = coefficients[row0 + i]!;
        acc += (c0 + t * (coefficients[row1 + i]! - c0)) * padded[start + i]!;
      }
    }
    out[j] = acc;
    base += stepWhole;
    phase += stepPhase;
    if (phase >= up) {
      phase -= up;
      base++;
    }
  }
  return out;
}

/**
 * Band-limited resampler (Kaiser-windowed sinc, polyphase, exact rational ratio; see the comment at
 * the top of this file for why it is ours). Output length is `round(n * toRate / fromRate)`, output
 * sample j is the signal at input time `j * fromRate / toRate` (no delay), and the input itself is
 * returned when the rates match. Defaults keep a sine below 0.45 x the lower rate within 0.01 dB
 * and attenuate everything above the lower Nyquist frequency by about 80 dB.
 *
 * @example
 * const at16k = sincResampler().resample(samplesAt44k, 44100, 16000);
 */
export function sincResampler(options: SincResamplerOptions = {}): Resampler {
  const parsed = v.safeParse(optionsSchema, options);
  if (!parsed.success) {
    throw new SpgConfigError(
      parsed.issues.map((i) => ({
        path: v.getDotPath(i) ?? '',
        message: `${i.message} (got ${JSON.stringify(i.input)})`,
      })),
    );
  }
  const passband = parsed.output.passband ?? 0.9;
  const attenuationDb = parsed.output.attenuationDb ?? 80;
  const tables = new Map<string, PolyphaseTable>();
  return {
    kind: 'resampler',
    id,
    options: { ...parsed.output },
    resample(mono, fromRate, toRate) {
      checkRate('fromRate', fromRate);
      checkRate('toRate', toRate);
      if (fromRate === toRate) return mono;
      const outLength = Math.round((mono.length * toRate) / fromRate);
      const key = `${fromRate}:${toRate}`;
      let table = tables.get(key);
      if (!table) {
        table = makeTable(fromRate, toRate, passband, attenuationDb);
        tables.set(key, table);
      }
      return run(table, mono, outLength);
    },
  };
}

/** Registry definition of `sincResampler`: `{ "use": "core/sinc", "options": { "attenuationDb": 100 } }`. */
export const sincResamplerDefinition: PluginDefinition<'resampler', v.InferOutput<typeof optionsSchema>> = {
  kind: 'resampler',
  id,
  module: '@spgdataset/core',
  schema: optionsSchema,
  create: (options) => sincResampler(options),
};

import type { Resampler, ResamplerStream } from '../contracts/resampler';
import { SpgConfigError } from '../errors/spg-config-error';
import { SpgError } from '../errors/spg-error';
import { check, thrown } from './check';
import type { ConformanceCase } from './conformance-case';
import type { FixtureReader } from './extractor-golden-fixtures';
import { loadResampleFixtures } from './resample-fixtures';

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

/**
 * What every resampler must meet (the "physical limit" issue): with `lower` the lower rate and
 * Nyquist = lower / 2, tones up to 0.95 x Nyquist keep their level within 0.1 dB and their phase
 * (no delay); tones from 1.05 x Nyquist up (their aliases), and images of passband tones, come
 * out at least 90 dB down; the ideal float64 reference is matched within 5e-5 (signals peak <= 1).
 */
export const resamplerBounds = {
  passbandEdge: 0.95,
  passbandRippleDb: 0.1,
  stopbandEdge: 1.05,
  stopbandDb: 90,
  /** Phase error of passband tones: 1e-3 rad is a delay of 3e-4 output samples at 0.95 x Nyquist. */
  phaseRad: 1e-3,
  referenceMaxAbs: 5e-5,
} as const;

/** Rate pairs the quality and streaming cases cover (down, up, integer, near-unity, interpolated tables). */
export const resamplerSuitePairs: readonly (readonly [number, number])[] = [
  [44100, 16000],
  [48000, 16000],
  [22050, 16000],
  [96000, 16000],
  [32000, 16000],
  [8000, 16000],
  [11025, 16000],
  [16000, 44100],
  [44100, 16001],
  [16000, 16001],
];

/**
 * How far two computations of the same output may differ by float32 rounding alone (e.g. the
 * same signal shifted against an implementation's fixed block grid), for |x| <= 1.
 */
export const RESAMPLER_ROUNDING = 2e-6;

/** Most output a stream may hold back beyond the filters' reach, in seconds of output. */
export const RESAMPLER_STREAM_LATENCY = 0.1;

/** Error code of `push()` / `end()` after `end()`. */
export const RESAMPLER_STREAM_ENDED = 'SPG_RESAMPLER_STREAM_ENDED';

function sine(frequency: number, rate: number, length: number, phase = 0): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.sin((2 * Math.PI * frequency * i) / rate + phase);
  return out;
}

/** Least-squares fit of R sin(w i + phi) to y[from, to): amplitude, phase and residual rms. */
function fitTone(y: Float32Array, frequency: number, rate: number, from: number, to: number) {
  let ss = 0;
  let cc = 0;
  let sc = 0;
  let ys = 0;
  let yc = 0;
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * frequency * i) / rate;
    const s = Math.sin(w);
    const c = Math.cos(w);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    ys += y[i]! * s;
    yc += y[i]! * c;
  }
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  let residual = 0;
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * frequency * i) / rate;
    residual += (y[i]! - a * Math.sin(w) - b * Math.cos(w)) ** 2;
  }
  return {
    amplitude: Math.hypot(a, b),
    phase: Math.atan2(b, a),
    residualRms: Math.sqrt(residual / (to - from)),
  };
}

function rms(y: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i]! ** 2;
  return Math.sqrt(s / (to - from));
}

const db = (ratio: number) => 20 * Math.log10(ratio);
/** The filters' edge transients stay within the first and last 15 %. */
const middle = (n: number) => [Math.floor(n * 0.15), Math.ceil(n * 0.85)] as const;
const wrap = (phase: number) => Math.atan2(Math.sin(phase), Math.cos(phase));

/** Deterministic noise in [-0.5, 0.5) (xorshift32), independent of the code under test. */
function noise(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state / 2 ** 32 - 0.5;
  }
  return out;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function streamAll(
  stream: ResamplerStream,
  x: Float32Array,
  size: (n: number, i: number) => number,
): Float32Array {
  const parts: Float32Array[] = [];
  for (let at = 0, i = 0; at < x.length; i++) {
    const n = Math.min(size(x.length, i), x.length - at);
    parts.push(stream.push(x.subarray(at, at + n)));
    at += n;
  }
  parts.push(stream.end());
  return concat(parts);
}

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
  const add = (
    group: string,
    name: string,
    run: (r: Resampler) => void | Promise<void>,
    notApplicable?: string,
  ) => {
    const body = async () => {
      const resampler = await options.create();
      try {
        await run(resampler);
      } finally {
        await resampler.dispose?.();
      }
    };
    cases.push(
      notApplicable === undefined ? { group, name, run: body } : { group, name, run: body, notApplicable },
    );
  };

  add('contract', 'is a resampler with an id, JSON options and (if any) a whole numerics version', (r) => {
    check(r.kind).toBe('resampler');
    check(r.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
    check(JSON.parse(JSON.stringify(r.options)), 'options after a JSON round trip').toEqual(r.options);
    if (r.version !== undefined) check(Number.isInteger(r.version) && r.version >= 0, 'version').toBe(true);
  });

  for (const [from, to] of resamplerSuitePairs) {
    const nyquist = Math.min(from, to) / 2;
    const length = Math.round(from * 0.25);
    add(
      'quality',
      `${from} -> ${to}: passband tones keep level (${resamplerBounds.passbandRippleDb} dB) and phase up to ${resamplerBounds.passbandEdge} x Nyquist${to > from ? ', images 90 dB down' : ''}`,
      (r) => {
        for (let k = 0; k <= 24; k++) {
          const frequency = (resamplerBounds.passbandEdge * nyquist * (k + 0.5)) / 24.5;
          const phase = 0.7 * k;
          const y = r.resample(sine(frequency, from, length, phase), from, to);
          const [a, b] = middle(y.length);
          const fit = fitTone(y, frequency, to, a, b);
          check(Math.abs(db(fit.amplitude)), `${frequency} Hz level (dB)`).toBeLessThanOrEqual(
            resamplerBounds.passbandRippleDb,
          );
          check(Math.abs(wrap(fit.phase - phase)), `${frequency} Hz phase error (rad)`).toBeLessThanOrEqual(
            resamplerBounds.phaseRad,
          );
          if (to > from) {
            // Upsampling: everything but the tone is an image.
            check(db(fit.residualRms / Math.SQRT1_2), `${frequency} Hz images (dB)`).toBeLessThanOrEqual(
              -resamplerBounds.stopbandDb,
            );
          }
        }
      },
    );
    if (to < from) {
      add(
        'quality',
        `${from} -> ${to}: tones from ${resamplerBounds.stopbandEdge} x Nyquist up come out >= ${resamplerBounds.stopbandDb} dB down`,
        (r) => {
          const low = resamplerBounds.stopbandEdge * nyquist;
          const high = from / 2;
          for (let k = 0; k < 48; k++) {
            // Denser near the band edge, where the filters are steepest.
            const frequency = low + (high - low) * (k / 48) ** 2;
            const y = r.resample(sine(frequency, from, length), from, to);
            const [a, b] = middle(y.length);
            check(db(rms(y, a, b) / Math.SQRT1_2), `${frequency} Hz (dB)`).toBeLessThanOrEqual(
              -resamplerBounds.stopbandDb,
            );
          }
        },
      );
    }
  }

  add(
    'alignment and length',
    'does not shift the signal: an impulse at input time t is centred on output t * to / from',
    (r) => {
      for (const [from, to] of resamplerSuitePairs) {
        const x = new Float32Array(Math.round(from * 0.05));
        const at = Math.round(0.37 * x.length);
        x[at] = 1;
        const y = r.resample(x, from, to);
        let sum = 0;
        let moment = 0;
        let peak = 0;
        for (let k = 0; k < y.length; k++) {
          sum += y[k]!;
          moment += k * y[k]!;
          if (y[k]! > y[peak]!) peak = k;
        }
        const expected = (at * to) / from;
        check(Math.abs(peak - expected), `${from} -> ${to}: peak off by`).toBeLessThanOrEqual(0.5);
        check(Math.abs(moment / sum - expected), `${from} -> ${to}: centre off by`).toBeLessThanOrEqual(0.01);
      }
    },
  );

  add('alignment and length', 'gives round(n * to / from) samples', (r) => {
    const lengths: [number, number, number, number][] = [
      [44100, 16000, 44100, 16000],
      [44100, 16000, 1001, 363], // 363.18
      [48000, 16000, 10, 3], // 3.33
      [8000, 16000, 7, 14],
      [22050, 32000, 3, 4], // 4.35
      [22050, 32000, 1000, 1451], // 1451.25
      [16000, 44100, 1, 3], // 2.76
      [44100, 16001, 44100, 16001],
      [32000, 16000, 5, 3], // 2.5 rounds up
      [44100, 16000, 0, 0],
    ];
    for (const [from, to, n, expected] of lengths) {
      check(r.resample(noise(n, n + 1), from, to).length, `${from} -> ${to}, ${n} samples`).toBe(expected);
    }
  });

  add(
    'alignment and length',
    'treats the signal as zero outside: zero padding only shifts the output',
    (r) => {
      for (const [from, to] of resamplerSuitePairs) {
        const g = gcd(from, to);
        // Padding by a whole number of rate periods keeps every output's filter phase. The values
        // may differ by float32 rounding (block-based implementations: blocks fall elsewhere).
        const pad = (from / g) * Math.max(1, Math.ceil(400 / (from / g)));
        const x = noise(Math.round(from * 0.02) + 17, from);
        const padded = new Float32Array(x.length + 2 * pad);
        padded.set(x, pad);
        const y = r.resample(x, from, to);
        const z = r.resample(padded, from, to);
        const shift = (pad / from) * to;
        check(z.length, `${from} -> ${to}: padded length`).toBe(y.length + 2 * shift);
        let worst = Math.abs(z[0]!);
        for (let k = 0; k < y.length; k++) worst = Math.max(worst, Math.abs(z[shift + k]! - y[k]!));
        check(worst, `${from} -> ${to}: largest difference`).toBeLessThanOrEqual(RESAMPLER_ROUNDING);
      }
    },
  );

  add('alignment and length', 'keeps DC (unit gain) away from the edges', (r) => {
    for (const [from, to] of resamplerSuitePairs) {
      const y = r.resample(new Float32Array(Math.round(from * 0.1)).fill(0.5), from, to);
      const [a, b] = middle(y.length);
      let worst = 0;
      for (let i = a; i < b; i++) worst = Math.max(worst, Math.abs(y[i]! - 0.5));
      check(worst, `${from} -> ${to}: largest DC error`).toBeLessThan(1e-5);
    }
  });

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

  const noStream = streams ? undefined : 'no stream(): streaming is optional';
  const chunkings: [string, (n: number, i: number) => number][] = [
    ['1 sample', () => 1],
    ['primes', (_, i) => [2, 3, 5, 7, 11, 13, 101, 4099][i % 8]!],
    ['random', (_, i) => 1 + (((i * 2654435761) >>> 0) % 997)],
    ['whole', (n) => Math.max(1, n)],
  ];
  for (const [from, to] of resamplerSuitePairs) {
    add(
      'stream()',
      `${from} -> ${to}: streamed output equals the whole-array output bit for bit`,
      (r) => {
        for (const length of [0, 1, 3, 2000, 9001]) {
          const x = noise(length, length + from);
          const whole = r.resample(x, from, to);
          for (const [label, size] of chunkings) {
            if (label === '1 sample' && length > 2000) continue;
            const streamed = streamAll(r.stream!(from, to), x, size);
            check(sameBits(streamed, whole), `${length} samples in chunks of ${label}`).toBe(true);
          }
        }
      },
      noStream,
    );
  }

  add(
    'stream()',
    'copies chunks through when the rates match, and refuses use after end()',
    async (r) => {
      const x = noise(300, 5);
      const same = r.stream!(16000, 16000);
      check(concat([same.push(x.subarray(0, 100)), same.push(x.subarray(100)), same.end()])).toEqual(x);
      for (const [from, to] of [
        [44100, 16000],
        [16000, 16000],
      ] as const) {
        const stream = r.stream!(from, to);
        stream.push(x);
        stream.end();
        for (const [what, call] of [
          ['push', () => stream.push(x)],
          ['end', () => stream.end()],
        ] as const) {
          const error = await thrown(call);
          const label = `${from} -> ${to}: ${what}() after end()`;
          check(SpgError.isInstance(error), `${label} throws an SpgError, got ${String(error)}`).toBe(true);
          check((error as SpgError).code, label).toBe(RESAMPLER_STREAM_ENDED);
        }
      }
    },
    noStream,
  );

  add(
    'stream()',
    `returns output as it goes (holds back at most ${RESAMPLER_STREAM_LATENCY} s)`,
    (r) => {
      // One minute at 48 kHz in 0.01 s chunks.
      const stream = r.stream!(48000, 16000);
      const chunk = noise(480, 1);
      let total = 0;
      for (let i = 1; i <= 6000; i++) {
        total += stream.push(chunk).length;
        check(160 * i - total, `outputs held back after ${i} chunks`).toBeLessThanOrEqual(
          RESAMPLER_STREAM_LATENCY * 16000,
        );
      }
      total += stream.end().length;
      check(total, 'outputs in all').toBe(6000 * 160);
    },
    noStream,
  );
  return cases;
}

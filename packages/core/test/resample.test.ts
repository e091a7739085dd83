import { describe, expect, it } from 'vitest';
import { SpgConfigError, sincResampler, sincResamplerDefinition } from '../src/index';
import { db, fitTone, rms } from '../src/testing/tone-fit';

function sine(frequency: number, rate: number, seconds: number, amplitude = 1): Float32Array {
  const n = Math.round(rate * seconds);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
  return out;
}

/** Least-squares amplitude of a sinusoid at `frequency` in y[from, to) (sin + cos fit). */
function amplitudeAt(y: Float32Array, frequency: number, rate: number, from: number, to: number): number {
  return fitTone(y, frequency, rate, from, to).amplitude;
}

// Edges hold the filter's ramp from the zero padding; judge the middle 80 %.
const middle = (n: number) => [Math.floor(n * 0.1), Math.ceil(n * 0.9)] as const;

const pairs: [number, number][] = [
  [44100, 16000],
  [48000, 16000],
  [8000, 16000],
  [22050, 32000],
];

describe('sincResampler quality (docs/behaviour.md#spectrogram)', () => {
  const resampler = sincResampler();
  for (const [from, to] of pairs) {
    const lower = Math.min(from, to);
    describe(`${from} -> ${to}`, () => {
      for (const fraction of [0.01, 0.1, 0.25, 0.4, 0.449]) {
        const frequency = fraction * lower;
        it(`keeps a ${frequency.toFixed(1)} Hz sine (${fraction} x lower rate) within 0.1 dB`, () => {
          const y = resampler.resample(sine(frequency, from, 1), from, to);
          const [a, b] = middle(y.length);
          const gain = db(amplitudeAt(y, frequency, to, a, b));
          expect(Math.abs(gain)).toBeLessThan(0.1);
        });
      }
      if (to < from) {
        for (const fraction of [0.53, 0.55, 0.8, 1.3]) {
          const frequency = fraction * to;
          if (frequency >= from / 2) continue;
          it(`attenuates a ${frequency} Hz tone above the new Nyquist ${to / 2} Hz by >= 60 dB`, () => {
            const y = resampler.resample(sine(frequency, from, 1), from, to);
            const [a, b] = middle(y.length);
            expect(db(rms(y, a, b) / Math.SQRT1_2)).toBeLessThan(-60);
          });
        }
      } else {
        for (const fraction of [0.3, 0.449]) {
          const frequency = fraction * from;
          const image = from - frequency;
          it(`attenuates the ${image} Hz image of a ${frequency} Hz tone (above ${from / 2} Hz) by >= 60 dB`, () => {
            const y = resampler.resample(sine(frequency, from, 1), from, to);
            const [a, b] = middle(y.length);
            expect(db(amplitudeAt(y, image, to, a, b))).toBeLessThan(-60);
          });
        }
      }
    });
  }
});

describe('sincResampler behaviour', () => {
  const resampler = sincResampler();

  it('returns the input itself when the rates match', () => {
    const x = sine(440, 16000, 0.1);
    expect(resampler.resample(x, 16000, 16000)).toBe(x);
  });

  it.each([
    [44100, 16000, 44100, 16000],
    [44100, 16000, 1001, 363], // 363.18 -> 363
    [48000, 16000, 10, 3], // 3.33 -> 3
    [8000, 16000, 7, 14],
    [22050, 32000, 3, 4], // 4.35 -> 4
    [22050, 32000, 1000, 1451], // 1451.25 -> 1451
    [16000, 44100, 1, 3], // 2.76 -> 3
    [44100, 16001, 44100, 16001],
  ])('%i -> %i: %i samples give round(n * to / from) = %i', (from, to, n, expected) => {
    expect(resampler.resample(new Float32Array(n), from, to).length).toBe(expected);
  });

  it('gives an empty output for an empty input', () => {
    expect(resampler.resample(new Float32Array(0), 44100, 16000).length).toBe(0);
  });

  it('does not shift the signal: an impulse at input time t lands at output t * to / from', () => {
    for (const [from, to] of [...pairs, [44100, 16001] as [number, number]]) {
      const x = new Float32Array(from); // 1 s
      const at = Math.round(0.37 * from);
      x[at] = 1;
      const y = resampler.resample(x, from, to);
      let peak = 0;
      for (let i = 1; i < y.length; i++) if (y[i]! > y[peak]!) peak = i;
      expect(Math.abs(peak - (at * to) / from)).toBeLessThanOrEqual(0.5);
    }
  });

  it('keeps DC exactly (each phase has unit gain), also on the interpolated path (44100 -> 16001)', () => {
    for (const [from, to] of [...pairs, [44100, 16001] as [number, number]]) {
      const y = resampler.resample(new Float32Array(from).fill(0.5), from, to);
      const [a, b] = middle(y.length);
      for (let i = a; i < b; i++) expect(Math.abs(y[i]! - 0.5)).toBeLessThan(1e-5);
    }
  });

  it('meets the bar on the interpolated path too (44100 -> 16001)', () => {
    const y = resampler.resample(sine(7000, 44100, 1), 44100, 16001);
    const [a, b] = middle(y.length);
    expect(Math.abs(db(amplitudeAt(y, 7000, 16001, a, b)))).toBeLessThan(0.1);
    const z = resampler.resample(sine(9000, 44100, 1), 44100, 16001);
    expect(db(rms(z, a, b) / Math.SQRT1_2)).toBeLessThan(-60);
  });

  it('does not mutate its input', () => {
    const x = sine(1000, 44100, 0.05);
    const copy = x.slice();
    resampler.resample(x, 44100, 16000);
    expect(x).toEqual(copy);
  });

  it('rejects bad rates and options with SpgConfigError naming them', () => {
    expect(() => resampler.resample(new Float32Array(4), 0, 16000)).toThrow(/fromRate/);
    expect(() => resampler.resample(new Float32Array(4), 16000, 22050.5)).toThrow(/toRate/);
    try {
      sincResampler({ passband: 1.2, attenuationDb: 10 });
      expect.unreachable();
    } catch (error) {
      expect(SpgConfigError.isInstance(error)).toBe(true);
      expect((error as SpgConfigError).issues.map((i) => i.path)).toEqual(['passband', 'attenuationDb']);
    }
  });

  it('has a registry definition that recreates it from its options', async () => {
    const r = sincResampler({ attenuationDb: 100 });
    expect(r.id).toBe('core/sinc');
    expect(r.options).toEqual({ attenuationDb: 100 });
    const validated = await sincResamplerDefinition.schema['~standard'].validate(r.options);
    expect(validated.issues).toBeUndefined();
    const again = await sincResamplerDefinition.create((validated as { value: never }).value);
    expect(again.options).toEqual(r.options);
  });
});

describe('sincResampler (core, float64) is exactly time-invariant', () => {
  it('zero padding by whole rate periods shifts the output bit for bit', () => {
    const resampler = sincResampler();
    for (const [from, to] of [...pairs, [16000, 44100] as [number, number]]) {
      const down = from / gcdOf(from, to);
      const pad = down * Math.ceil(400 / down);
      const x = sine(1234, from, 0.02);
      const padded = new Float32Array(x.length + 2 * pad);
      padded.set(x, pad);
      const y = resampler.resample(x, from, to);
      const z = resampler.resample(padded, from, to);
      const shift = (pad / from) * to;
      expect(z.subarray(shift, shift + y.length)).toEqual(y);
      expect(z[0]).toBe(0);
    }
  });
});

function gcdOf(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

import { check } from './check';
import { RESAMPLER_ROUNDING, resamplerBounds, resamplerSuitePairs } from './resampler-bounds';
import type { AddResamplerCase } from './resampler-cases';
import { noise, sine } from './test-signals';
import { db, fitTone, middle, rms, wrap } from './tone-fit';

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The resampler's quality and alignment cases: per rate pair, passband level and phase (and images
 * when upsampling) and the stopband when downsampling; then no shift of an impulse, the length
 * rule, zeros outside the signal and unit gain at DC.
 */
export function resamplerQualityCases(add: AddResamplerCase): void {
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
}

import { halfbandPairs, halfbandStage } from './halfband-stage';
import { MAX_POLYPHASE_PHASES, polyphaseHalfWidth, polyphaseStage } from './polyphase-stage';
import type { HalfbandStage, PolyphaseStage, ResamplerDesign } from './resampler-design-types';

/*
 * The filter design (linear phase, zero delay, exact rational ratio). With `lower` the lower of the
 * two rates, P = passband x lower / 2 and S = (2 - passband) x lower / 2 (defaults 0.95: P = 0.475
 * and S = 0.525 x lower): the passband is [0, P], everything from S up is attenuated by at least
 * `attenuationDb`, and [P, S] is the transition band, centred on the lower Nyquist frequency so its
 * aliases fold back into it and never below P. Two structures, the cheaper one is used:
 *
 *  - single stage: one polyphase Kaiser-windowed sinc from the input to the output rate, transition
 *    [P, S]. Best when the rates are close (16000 -> 16001): its transition is sharp anyway.
 *  - two stages, the sharp transition in a half-band filter at twice the lower rate, where it is
 *    symmetric about a quarter of that rate (half the taps are zero and the rest come in pairs):
 *      downsampling: polyphase from -> 2 x to (transition [P, min(from, 2 to) - S], wide, so short),
 *                    then half-band decimation by 2 (transition [P, S]);
 *      upsampling:   half-band interpolation by 2 (transition [P, S]),
 *                    then polyphase 2 x from -> to (transition [P, 2 from - S]).
 *    The polyphase stop edges are the lowest frequencies whose aliases or images could reach
 *    [P, to / 2] through the second stage, so every tone above S is attenuated by both stages'
 *    design attenuation. A polyphase stage between equal rates is left out (8 -> 16 kHz is one
 *    half-band, 32 -> 16 kHz too).
 * Costs are compared as multiply-adds per output sample (a half-band pair counts 1.25: two loads
 * and an add more than a tap). Each stage is designed for attenuationDb + 6 dB: where the leaks of
 * both stages land on one output frequency they add up (measured worst case 2.7 dB above a
 * single stage's, at 48 -> 16 kHz).
 */

const STAGE_MARGIN_DB = 6;

/** Resampler design options (validated by the caller). */
export interface ResamplerDesignOptions {
  /** Passband edge as a fraction of the lower Nyquist frequency, in (0, 1). */
  passband: number;
  /** Stopband attenuation in dB (from (2 - passband) x the lower Nyquist frequency up). */
  attenuationDb: number;
}

const PAIR_COST = 1.25;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Multiply-adds per output of a polyphase stage with `half` (x2 when its table is interpolated). */
function polyphaseCost(inputRate: number, outputRate: number, half: number): number {
  const up = outputRate / gcd(inputRate, outputRate);
  return 2 * half * (up <= MAX_POLYPHASE_PHASES ? 1 : 2);
}

/**
 * Designs the stages that resample `fromRate` -> `toRate` (positive whole numbers of Hz, different).
 * Works on the rates divided by their gcd, so the tables depend only on the ratio and the options
 * (44.1 -> 16 kHz and 88.2 -> 32 kHz get the same bits); callers cache it per ratio.
 */
export function designResampler(
  sourceRate: number,
  targetRate: number,
  options: ResamplerDesignOptions,
): ResamplerDesign {
  const { passband } = options;
  const attenuationDb = options.attenuationDb + STAGE_MARGIN_DB;
  const g = gcd(sourceRate, targetRate);
  const fromRate = sourceRate / g;
  const toRate = targetRate / g;
  const lower = Math.min(fromRate, toRate);
  const pass = (passband * lower) / 2;
  const stop = ((2 - passband) * lower) / 2;
  const pairs = halfbandPairs(passband, attenuationDb);

  const singleHalf = polyphaseHalfWidth(fromRate, pass, stop, attenuationDb);
  const singleCost = polyphaseCost(fromRate, toRate, singleHalf);

  let stages: (PolyphaseStage | HalfbandStage)[];
  if (toRate < fromRate) {
    const mid = 2 * toRate;
    const polyStop = Math.min(fromRate, mid) - stop;
    const polyHalf = mid === fromRate ? 0 : polyphaseHalfWidth(fromRate, pass, polyStop, attenuationDb);
    const cost =
      (mid / toRate) * (polyHalf === 0 ? 0 : polyphaseCost(fromRate, mid, polyHalf)) + PAIR_COST * pairs;
    stages =
      cost < singleCost
        ? [
            ...(polyHalf === 0 ? [] : [polyphaseStage(fromRate, mid, pass, polyStop, attenuationDb)]),
            halfbandStage('decimate', passband, attenuationDb),
          ]
        : [polyphaseStage(fromRate, toRate, pass, stop, attenuationDb)];
  } else {
    const mid = 2 * fromRate;
    const polyStop = mid - stop;
    const polyHalf = mid === toRate ? 0 : polyphaseHalfWidth(mid, pass, polyStop, attenuationDb);
    const cost =
      (polyHalf === 0 ? 0 : polyphaseCost(mid, toRate, polyHalf)) + (fromRate / toRate) * PAIR_COST * pairs;
    stages =
      cost < singleCost
        ? [
            halfbandStage('interpolate', passband, attenuationDb),
            ...(polyHalf === 0 ? [] : [polyphaseStage(mid, toRate, pass, polyStop, attenuationDb)]),
          ]
        : [polyphaseStage(fromRate, toRate, pass, stop, attenuationDb)];
  }
  return { up: toRate, down: fromRate, passband, attenuationDb: options.attenuationDb, stages };
}

import { SpgConfigError } from '../errors/spg-config-error';
import { designResampler, type ResamplerDesignOptions } from './resampler-design';
import type { ResamplerDesign } from './resampler-design-types';

/** Throws SpgConfigError unless `rate` is a positive whole number. */
export function checkResampleRate(name: string, rate: number): void {
  if (!(Number.isInteger(rate) && rate > 0 && rate <= 2 ** 32))
    throw new SpgConfigError([
      { path: name, message: `must be a positive whole number of Hz up to 2^32 (got ${rate})` },
    ]);
}

/**
 * `designResampler` with `params` for any rate pair, made once and kept: a resampler meets the same
 * few pairs over and over, and a design costs milliseconds. Checks both rates first (SpgConfigError
 * naming `fromRate` / `toRate`); pairs with the same reduced ratio share one design.
 *
 * @example
 * const design = resamplerDesigns({ passband: 0.95, attenuationDb: 90 });
 * const stages = design(44100, 16000).stages;
 */
export function resamplerDesigns(
  params: ResamplerDesignOptions,
): (fromRate: number, toRate: number) => ResamplerDesign {
  const designs = new Map<string, ResamplerDesign>();
  return (fromRate, toRate) => {
    checkResampleRate('fromRate', fromRate);
    checkResampleRate('toRate', toRate);
    const key = `${fromRate}:${toRate}`;
    let found = designs.get(key);
    if (!found) {
      found = designResampler(fromRate, toRate, params);
      // Same ratio, same tables: store under the reduced ratio too.
      const reduced = `${found.down}:${found.up}`;
      found = designs.get(reduced) ?? found;
      designs.set(reduced, found);
      designs.set(key, found);
    }
    return found;
  };
}

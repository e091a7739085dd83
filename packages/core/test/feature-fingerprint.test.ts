import { describe, expect, it } from 'vitest';
import { featureFingerprintOf } from '../src/index';
import { energyExtractor, fakeDecoder, identityResampler, testMel } from './dataset-fakes';

const grid = { windowSize: 5120, windowOffset: 1600, dtype: 'float32' as const };
const plugins = { decoder: fakeDecoder(), resampler: identityResampler, extractor: energyExtractor(testMel) };

describe('featureFingerprintOf', () => {
  const base = featureFingerprintOf(plugins, grid);

  it('is the same for the same plugins and grid', () => {
    expect(featureFingerprintOf({ ...plugins }, { ...grid })).toBe(base);
  });

  it.each([
    ['decoder id', { decoder: { ...plugins.decoder, id: 'other/decoder' } }],
    ['decoder options', { decoder: { ...plugins.decoder, options: { exact: true } } }],
    ['decoder version', { decoder: { ...plugins.decoder, version: 2 } }],
    ['resampler id', { resampler: { ...plugins.resampler, id: 'other/resampler' } }],
    ['resampler options', { resampler: { ...plugins.resampler, options: { taps: 64 } } }],
    ['resampler version', { resampler: { ...plugins.resampler, version: 3 } }],
    ['extractor params', { extractor: energyExtractor({ ...testMel, nMels: 8 }) }],
  ])('moves with the %s', (_, change) => {
    expect(featureFingerprintOf({ ...plugins, ...change }, grid)).not.toBe(base);
  });

  it.each([
    ['windowSize', { windowSize: 6400 }],
    ['windowOffset', { windowOffset: 3200 }],
    ['dtype', { dtype: 'float16' as const }],
  ])('moves with the %s', (_, change) => {
    expect(featureFingerprintOf(plugins, { ...grid, ...change })).not.toBe(base);
  });
});

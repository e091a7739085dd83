import type { GoldenCase, GoldenTolerance } from './extractor-golden-fixtures';

/**
 * Accuracy every extractor must meet against the float64 golden fixtures (the dsp-wasm issue
 * bounds, in the range of torch float32, the seed's own computation). The principle: on any signal,
 * no worse than torch float32 is — so a case where torch float32 itself is further off (recorded in
 * the fixture index) allows 1.5x torch's own error instead.
 */
export const extractorAccuracyBounds: Record<'normalizeOff' | 'normalizeOn', GoldenTolerance> = {
  normalizeOff: { maxAbs: 1e-4, p999: 3e-5 },
  normalizeOn: { maxAbs: 4e-4, p999: 8e-5 },
};

/** The tolerance the suite applies to one golden case. */
export function goldenCaseTolerance(c: GoldenCase): GoldenTolerance {
  const bound = c.params.normalize
    ? extractorAccuracyBounds.normalizeOn
    : extractorAccuracyBounds.normalizeOff;
  return {
    maxAbs: Math.max(bound.maxAbs, 1.5 * c.torchFloat32.maxAbs),
    p999: Math.max(bound.p999, 1.5 * c.torchFloat32.p999),
  };
}

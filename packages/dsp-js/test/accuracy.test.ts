import { goldenErrorStats, loadGoldenFixtures } from '@spgdataset/core/testing';
import { describe, expect, it } from 'vitest';
import { jsMelExtractor } from '../src/index';

// dsp-js is the exact reference: float64 inside, so far tighter than the shared torch-float32 bounds.
const bound = { normalizeOff: 1e-6, normalizeOn: 1e-5 };

describe('dsp-js against the float64 golden fixtures (tight bound)', () => {
  const cases = loadGoldenFixtures();
  for (const c of cases) {
    const limit = c.params.normalize ? bound.normalizeOn : bound.normalizeOff;
    it(`${c.name}: max abs <= ${limit}`, () => {
      const tensor = jsMelExtractor(c.params).extract(c.signal);
      expect(tensor.shape).toEqual(c.shape);
      expect(goldenErrorStats(tensor.data, c.expected).maxAbs).toBeLessThanOrEqual(limit);
    });
  }
});

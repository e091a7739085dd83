import { goldenErrorStats, loadGoldenFixtures } from '@spgdataset/core/testing';
import { goldenFixtureReader } from '@spgdataset/golden-fixtures/node';
import { afterAll, describe, expect, it } from 'vitest';
import { jsMelExtractor } from '../src/index';

// dsp-js is the exact reference: float64 inside, so far tighter than the shared torch-float32 bounds.
const bound = { off: 1e-6, on: 1e-5 };

const golden = await loadGoldenFixtures(goldenFixtureReader());

describe('dsp-js against the float64 golden fixtures (tight bound)', () => {
  const worst = { off: { maxAbs: 0, p999: 0 }, on: { maxAbs: 0, p999: 0 } };
  afterAll(() => {
    console.log(
      `dsp-js vs float64 fixtures, worst case: normalize off max abs ${worst.off.maxAbs.toExponential(2)} ` +
        `(p99.9 ${worst.off.p999.toExponential(2)}), normalize on max abs ${worst.on.maxAbs.toExponential(2)} ` +
        `(p99.9 ${worst.on.p999.toExponential(2)})`,
    );
  });
  for (const c of golden) {
    const mode = c.params.normalize ? 'on' : 'off';
    it(`${c.name}: max abs <= ${bound[mode]}`, () => {
      const tensor = jsMelExtractor(c.params).extract(c.signal);
      expect(tensor.shape).toEqual(c.shape);
      const stats = goldenErrorStats(tensor.data, c.expected);
      expect(stats.maxAbs).toBeLessThanOrEqual(bound[mode]);
      worst[mode].maxAbs = Math.max(worst[mode].maxAbs, stats.maxAbs);
      worst[mode].p999 = Math.max(worst[mode].p999, stats.p999);
    });
  }
});

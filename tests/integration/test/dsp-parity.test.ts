import { goldenErrorStats, loadGoldenFixtures } from '@spgdataset/core/conformance';
import { jsMelExtractor } from '@spgdataset/dsp-js';
import { wasmMelExtractor } from '@spgdataset/dsp-wasm';
import { goldenFixtureReader } from '@spgdataset/golden-fixtures/node';
import { afterAll, describe, expect, it } from 'vitest';

// dsp-wasm (f32 SIMD) against dsp-js (the f64 reference extractor) on every golden signal and
// parameter set, and both against the float64 fixtures. The maxima are printed for the reports.
const maxAbs = (a: Float32Array, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

const worst = { wasmVsJs: [0, 0], wasmVsF64: [0, 0], wasmP999VsF64: [0, 0], jsVsF64: [0, 0] };

const golden = await loadGoldenFixtures(goldenFixtureReader());

describe('dsp-wasm agrees with dsp-js', () => {
  for (const c of golden) {
    it(c.name, async () => {
      const wasm = await wasmMelExtractor(c.params);
      const js = await jsMelExtractor(c.params);
      expect(wasm.fingerprint()).not.toBe(js.fingerprint());
      const a = wasm.extract(c.signal);
      const b = js.extract(c.signal);
      expect(a.shape).toEqual(b.shape);
      const k = c.params.normalize ? 1 : 0;
      const diff = maxAbs(a.data, b.data);
      worst.wasmVsJs[k] = Math.max(worst.wasmVsJs[k]!, diff);
      const stats = goldenErrorStats(a.data, c.expected);
      worst.wasmVsF64[k] = Math.max(worst.wasmVsF64[k]!, stats.maxAbs);
      worst.wasmP999VsF64[k] = Math.max(worst.wasmP999VsF64[k]!, stats.p999);
      worst.jsVsF64[k] = Math.max(worst.jsVsF64[k]!, maxAbs(b.data, c.expected));
      expect(diff).toBeLessThanOrEqual(c.params.normalize ? 4e-4 : 1e-4);
      wasm.dispose?.();
    });
  }

  afterAll(() => {
    const line = (name: string, [off, on]: number[]) =>
      `  ${name}: max abs ${off!.toExponential(2)} (normalize off), ${on!.toExponential(2)} (on)`;
    console.log(
      [
        'dsp parity over all golden cases:',
        line('dsp-wasm vs dsp-js  ', worst.wasmVsJs),
        line('dsp-wasm vs float64 ', worst.wasmVsF64),
        line('dsp-wasm vs float64 p99.9 (worst case)', worst.wasmP999VsF64).replace('max abs ', ''),
        line('dsp-js vs float64   ', worst.jsVsF64),
      ].join('\n'),
    );
  });
});

import { expect, it } from 'vitest';

it('every package loads side by side from its built output', async () => {
  const core = await import('@spgdataset/core');
  const { wasmMelExtractor } = await import('@spgdataset/dsp-wasm');
  const umbrella = await import('spgdataset');
  expect(umbrella.fingerprint).toBe(core.fingerprint);
  const extractor = await wasmMelExtractor({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 });
  expect(extractor.extract(new Float32Array(1600)).shape).toEqual([80, 10]);
});

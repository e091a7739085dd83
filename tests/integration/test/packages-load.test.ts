import { expect, it } from 'vitest';

it('every package loads side by side from its built output', async () => {
  const core = await import('@spgdataset/core');
  const { loadDsp } = await import('@spgdataset/dsp-wasm');
  const umbrella = await import('spgdataset');
  expect(umbrella.fingerprint).toBe(core.fingerprint);
  expect((await loadDsp()).sum(new Float32Array([0.5, 0.25]))).toBe(0.75);
});

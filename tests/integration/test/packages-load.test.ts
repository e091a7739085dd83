import { expect, it } from 'vitest';

it('every package loads side by side from its built output', async () => {
  const core = await import('@spgdataset/core');
  const { wasmMelExtractor } = await import('@spgdataset/dsp-wasm');
  const umbrella = await import('spgdataset');
  expect(umbrella.fingerprint).toBe(core.fingerprint);
  const extractor = await wasmMelExtractor({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 });
  expect(extractor.extract(new Float32Array(1600)).shape).toEqual([80, 10]);
});

it('the CommonJS build of core decodes audio (audio-decode is ESM-only and loaded with import())', async () => {
  const { createRequire } = await import('node:module');
  const { readFileSync } = await import('node:fs');
  const core = createRequire(import.meta.url)('@spgdataset/core') as typeof import('@spgdataset/core');
  const bytes = readFileSync(new URL('../../../samples/formats/burst.mp3', import.meta.url));
  const audio = await core.audioDecodeDecoder().decode(new Uint8Array(bytes), { path: 'burst.mp3' });
  expect(audio.sampleRate).toBe(44100);
  expect(audio.channelData[0]!.length).toBe(88200);
});

// extractInto: the same values as extract, written into the caller's buffer (no new array per call).
import { SpgExtractorError } from '@spgdataset/core';
import { wasmMelExtractor } from '@spgdataset/dsp-wasm';
import { describe, expect, it } from 'vitest';
import { testSignal } from './reference-log-mel';

describe('wasmMelExtractor.extractInto', () => {
  it("gives extract()'s values bit for bit, in the start of the given buffer, for several lengths", async () => {
    const extractor = await wasmMelExtractor({
      sampleRate: 16000,
      nFft: 400,
      hopLength: 160,
      nMels: 80,
      normalize: true,
    });
    const output = new Float32Array(80 * 700).fill(Number.NaN);
    for (const samples of [30_720, 111_111, 16_000, 320]) {
      const signal = testSignal('chirp', samples, 16000);
      const fresh = extractor.extract(signal);
      const into = extractor.extractInto!(signal, output);
      expect(into.shape).toEqual(fresh.shape);
      expect(into.data.buffer).toBe(output.buffer);
      expect(into.data.byteOffset).toBe(0);
      expect(new Uint32Array(into.data.slice().buffer)).toEqual(new Uint32Array(fresh.data.buffer));
    }
  });

  it('refuses a buffer that is too small, and use after dispose', async () => {
    const extractor = await wasmMelExtractor({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 });
    const signal = testSignal('noise', 16_000, 16000);
    expect(() => extractor.extractInto!(signal, new Float32Array(80 * 99))).toThrow(
      /at least nMels x frames = 8000/,
    );
    extractor.dispose!();
    expect(() => extractor.extractInto!(signal, new Float32Array(8000))).toThrow(SpgExtractorError);
  });
});

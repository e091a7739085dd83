// extractInto: the same values as extract, written into the caller's buffer; scratch reused between calls.
import { SpgExtractorError } from '@spgdataset/core';
import { describe, expect, it } from 'vitest';
import { jsMelExtractor } from '../src/js-mel-extractor';

const chirp = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin((i * i) / 4e5) * 0.5);

describe('jsMelExtractor.extractInto', () => {
  it("gives extract()'s values bit for bit, in the start of the given buffer, call after call", () => {
    const extractor = jsMelExtractor({
      sampleRate: 16000,
      nFft: 400,
      hopLength: 160,
      nMels: 40,
      normalize: true,
    });
    const output = new Float32Array(40 * 400).fill(Number.NaN);
    for (const samples of [30_720, 50_000, 16_000, 240]) {
      const signal = chirp(samples);
      const fresh = extractor.extract(signal);
      const into = extractor.extractInto!(signal, output);
      expect(into.shape).toEqual(fresh.shape);
      expect(into.data.buffer).toBe(output.buffer);
      expect(new Uint32Array(into.data.slice().buffer)).toEqual(new Uint32Array(fresh.data.buffer));
    }
  });

  it('refuses a buffer that is too small', () => {
    const extractor = jsMelExtractor({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 40 });
    expect(() => extractor.extractInto!(chirp(16_000), new Float32Array(10))).toThrow(SpgExtractorError);
  });
});

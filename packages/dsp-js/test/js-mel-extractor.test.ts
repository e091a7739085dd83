import { describe, expect, it } from 'vitest';
import { JS_MEL_EXTRACTOR_ID, jsMelExtractor, jsMelExtractorDefinition } from '../src/index';

describe('jsMelExtractorDefinition', () => {
  it('validates options with the shared Standard Schema and creates the extractor', async () => {
    const options = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 };
    const result = await jsMelExtractorDefinition.schema['~standard'].validate(options);
    expect('value' in result && result.value).toEqual(options);
    const bad = await jsMelExtractorDefinition.schema['~standard'].validate({ ...options, nFft: 'x' });
    expect(bad.issues?.[0]?.path?.[0]).toMatchObject({ key: 'nFft' });
    const extractor = await jsMelExtractorDefinition.create(options);
    expect(jsMelExtractorDefinition.kind).toBe('extractor');
    expect(jsMelExtractorDefinition.id).toBe(JS_MEL_EXTRACTOR_ID);
    expect(extractor.id).toBe(JS_MEL_EXTRACTOR_ID);
    expect(extractor.fingerprint!()).toBe(jsMelExtractor(options).fingerprint());
  });
});

describe('jsMelExtractor with odd nFft', () => {
  it('centres frame t on sample t * hop (nFft 401, prime: Bluestein)', () => {
    // An impulse at sample 1000 seen by frame t sits at window index 1000 - 100 t + 200, so every
    // bin's power is w[i]^2: log-mel differences between frames follow the Hann window alone.
    const extractor = jsMelExtractor({ sampleRate: 16000, nFft: 401, hopLength: 100, nMels: 40 });
    const signal = new Float32Array(2050);
    signal[1000] = 1;
    const { data, shape } = extractor.extract(signal);
    expect(shape).toEqual([40, 20]);
    const hann = (i: number) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / 401);
    const at = (m: number, t: number) => data[m * 20 + t]!;
    for (const m of [3, 20, 39]) {
      expect(at(m, 10) - at(m, 9)).toBeCloseTo(Math.log10(hann(200) / hann(300)) / 2, 5);
      expect(at(m, 10) - at(m, 11)).toBeCloseTo(Math.log10(hann(200) / hann(100)) / 2, 5);
      // Frames that do not reach the impulse sit on the floor: (max L - 8 + 4) / 4 = max S - 2.
      expect(at(m, 2)).toBeCloseTo(Math.max(...data) - 2, 6);
    }
  });
});

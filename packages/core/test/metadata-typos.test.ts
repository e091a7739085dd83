// Typo keys in metadata.json entries are warned about (file, key, nearest valid key), and a missing
// mask or field lists what the entry does have.
import { describe, expect, it } from 'vitest';
import { parseMetadataFile } from '../src/dataset/metadata-schema';
import { openDataset } from '../src/dataset/open-dataset';
import { editDistance, nearest } from '../src/dataset/unknown-entry-keys';
import { SpgMetadataError } from '../src/index';
import { collectingLogger, encodeRaw, fakeSource, metadataInput, testParts } from './dataset-fakes';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('unknown entry keys', () => {
  it('each typo gives one warning naming the metadata file, the key, the entries and the nearest key', () => {
    const warnings: string[] = [];
    const parsed = parseMetadataFile(
      bytes({
        'a.wav': { lenght: 16000, intervals: {}, metadata: {} },
        'b.wav': { length: 16000, intervls: { speech: [[0, 10]] } },
        'c.wav': { length: 16000, intervls: { speech: [] }, metdata: { gender: 'f' } },
        'd.wav': { length: 16000 },
      }),
      'corpus/metadata.json',
      (w) => warnings.push(w),
    );
    expect(warnings).toEqual([
      'corpus/metadata.json: entry "a.wav": unknown key "lenght" is ignored; did you mean "length"? An entry may have length, intervals, metadata.',
      'corpus/metadata.json: 2 entries ("b.wav", "c.wav"): unknown key "intervls" is ignored; did you mean "intervals"? An entry may have length, intervals, metadata.',
      'corpus/metadata.json: entry "c.wav": unknown key "metdata" is ignored; did you mean "metadata"? An entry may have length, intervals, metadata.',
    ]);
    // Ignored, as before: the typo's data does not leak into the entry.
    expect(parsed['b.wav']).toEqual({ length: 16000, intervals: {}, metadata: {} });
  });

  it('a clean file gives no warning', () => {
    const warnings: string[] = [];
    parseMetadataFile(bytes({ 'a.wav': { length: 1, intervals: {}, metadata: {} } }), 'm.json', (w) =>
      warnings.push(w),
    );
    expect(warnings).toEqual([]);
  });

  it('edit distance and nearest key', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('length', 'length')).toBe(0);
    expect(nearest('lenght', ['length', 'intervals', 'metadata'])).toBe('length');
    expect(nearest('meta', ['length', 'intervals', 'metadata'])).toBe('metadata');
  });

  it('reach the dataset report and the logger when the dataset opens', async () => {
    const logger = collectingLogger();
    const ds = await openDataset(
      testParts({
        source: fakeSource({ 'a.wav': encodeRaw(new Float32Array(8000)) }),
        metadata: metadataInput({ 'a.wav': { lenght: 8000, intervals: {}, metadata: {} } }),
        logger,
      }),
    );
    const expected = expect.stringMatching(/metadata\.json: entry "a\.wav": unknown key "lenght".*"length"/);
    expect(ds.report().warnings).toContainEqual(expected);
    expect(logger.warnings).toContainEqual(expected);
  });
});

describe('a missing mask or field lists what the entry has', () => {
  const source = () => fakeSource({ 'a.wav': encodeRaw(new Float32Array(8000)) });
  const open = async (entry: unknown, output: Record<string, unknown>) => {
    try {
      await openDataset(
        testParts({
          source: source(),
          metadata: metadataInput({ 'a.wav': entry }),
          output: { audio: false, spectrogram: false, masks: [], meta: [], label: null, ...output },
        }),
      );
    } catch (e) {
      expect(SpgMetadataError.isInstance(e)).toBe(true);
      return (e as SpgMetadataError).message;
    }
    throw new Error('expected a missing-field error');
  };

  it('names the masks present', async () => {
    const message = await open(
      { length: 8000, intervals: { noise: [], music: [[0, 10]] }, metadata: {} },
      { masks: ['speech'] },
    );
    expect(message).toContain('has no field "intervals.speech"');
    expect(message).toContain('it has intervals: noise, music.');
  });

  it('says when there are none', async () => {
    const message = await open({ length: 8000 }, { masks: ['speech'] });
    expect(message).toContain('its intervals is empty.');
  });

  it('names the metadata fields present for meta and label', async () => {
    const entry = { length: 8000, metadata: { gender: 'f', speaker: 's1' } };
    expect(await open(entry, { meta: ['age'] })).toContain('it has metadata: gender, speaker.');
    expect(await open(entry, { label: 'kind' })).toContain('it has metadata: gender, speaker.');
  });
});

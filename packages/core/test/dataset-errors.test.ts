import { describe, expect, it } from 'vitest';
import { openDataset } from '../src/dataset/open-dataset';
import { type DatasetParts, SpgConfigError, SpgDecodeError, SpgError, SpgMetadataError } from '../src/index';
import { collectingLogger, encodeRaw, fakeSource, metadataInput, testParts } from './dataset-fakes';

const source = () =>
  fakeSource({ 'd/a.wav': encodeRaw(new Float32Array(8000)), 'd/b.wav': encodeRaw(new Float32Array(6000)) });
const good = {
  'd/a.wav': { length: 8000, intervals: { speech: [[0, 4000]] }, metadata: { gender: 'f', kind: 'x' } },
  'd/b.wav': { length: 6000, intervals: { speech: [] }, metadata: { gender: 'm', kind: 'y' } },
};
const output = { audio: false, spectrogram: false, masks: ['speech'], meta: ['gender'], label: 'kind' };

async function openError(overrides: Partial<DatasetParts>, metadata: unknown = good): Promise<SpgError> {
  try {
    await openDataset(
      testParts({ source: source(), metadata: metadataInput(metadata), output, ...overrides }),
    );
  } catch (e) {
    expect(SpgError.isInstance(e)).toBe(true);
    return e as SpgError;
  }
  throw new Error('expected open() to fail');
}

const without = (path: 'd/a.wav' | 'd/b.wav', patch: Record<string, unknown>) => ({
  ...good,
  [path]: { ...good[path], ...patch },
});

describe('docs/behaviour.md#metadata-json errors at open', () => {
  it('opens with the good metadata', async () => {
    const ds = await openDataset(testParts({ source: source(), metadata: metadataInput(good), output }));
    expect(ds.classes).toEqual(['x', 'y']);
  });

  it('a file without an entry names the file', async () => {
    const e = await openError({}, { 'd/a.wav': good['d/a.wav'] });
    expect(SpgMetadataError.isInstance(e)).toBe(true);
    expect(e.code).toBe('SPG_METADATA_MISSING_ENTRY');
    expect((e as SpgMetadataError).file).toBe('d/b.wav');
    expect(e.message).toContain('"d/b.wav"');
    expect(e.message).toContain('metadata.json');
  });

  it.each([
    ['a requested mask', { intervals: {} }, 'intervals.speech'],
    ['a meta field', { metadata: { kind: 'y' } }, 'metadata.gender'],
    ['the label field', { metadata: { gender: 'm' } }, 'metadata.kind'],
  ])('a missing %s names the file and the field', async (_what, patch, field) => {
    const e = (await openError({}, without('d/b.wav', patch))) as SpgMetadataError;
    expect(SpgMetadataError.isInstance(e)).toBe(true);
    expect(e.code).toBe('SPG_METADATA_MISSING_FIELD');
    expect(e.file).toBe('d/b.wav');
    expect(e.field).toBe(field);
    expect(e.message).toContain('"d/b.wav"');
    expect(e.message).toContain(field);
  });

  it('a missing splitBy key names the file and the field', async () => {
    const e = (await openError({
      split: { split: [0.5, 0.5], seed: 0, splitBy: 'speaker' },
    })) as SpgMetadataError;
    expect(e.field).toBe('metadata.speaker');
    expect(e.message).toMatch(/"d\/a\.wav".*splitBy/);
  });

  it('requesting masks without any metadata.json names the file and field', async () => {
    const e = (await openError({ metadata: null })) as SpgMetadataError;
    expect(e.file).toBe('d/a.wav');
    expect(e.message).toContain('no metadata.json');
  });

  it.each([
    ['start > stop', [[10, 5]]],
    ['a negative bound', [[-1, 5]]],
    ['a non-integer bound', [[1.5, 5]]],
  ])('an interval with %s names the file and the field', async (_what, speech) => {
    const e = (await openError({}, without('d/a.wav', { intervals: { speech } }))) as SpgMetadataError;
    expect(e.code).toBe('SPG_METADATA_BAD_INTERVAL');
    expect(e.file).toBe('d/a.wav');
    expect(e.message).toContain('intervals.speech[0]');
  });

  it('metadata entries without an audio file are one warning naming them', async () => {
    const logger = collectingLogger();
    const ds = await openDataset(
      testParts({
        source: source(),
        logger,
        metadata: metadataInput({ ...good, 'gone/x.wav': {}, 'gone/y.wav': {} }),
        output,
      }),
    );
    expect(ds.classes).toEqual(['x', 'y']);
    const orphans = logger.warnings.filter((w) => w.includes('no audio file'));
    expect(orphans).toHaveLength(1);
    expect(orphans[0]).toContain('2 entries');
    expect(orphans[0]).toContain('gone/x.wav, gone/y.wav');
  });

  it('a metadata length shorter than the decoded audio is warned once', async () => {
    const logger = collectingLogger();
    const short = { ...good, 'd/a.wav': { ...good['d/a.wav'], length: 5200 } };
    const ds = await openDataset(
      testParts({
        source: source(),
        logger,
        metadata: metadataInput(short),
        output: { ...output, spectrogram: true },
      }),
    );
    await ds.get(0);
    await ds.get(0);
    const warned = logger.warnings.filter((w) => w.includes('decodes to more audio'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('"d/a.wav"');
    expect(warned[0]).toContain('5200');
  });

  it('a key that escapes the audio root is rejected', async () => {
    const e = await openError({}, { ...good, '../secret.wav': {} });
    expect(e.code).toBe('SPG_METADATA_BAD_KEY');
    expect(e.message).toContain('"../secret.wav"');
  });

  it('an undecodable file is an SpgDecodeError naming it; onError skip leaves it out and reports it', async () => {
    const bad = fakeSource({
      'a.wav': encodeRaw(new Float32Array(8000)),
      'broken.wav': new Uint8Array([1, 2, 3]),
    });
    const parts = {
      source: bad,
      output: { audio: false, spectrogram: false, masks: [], meta: [], label: null },
    };
    let caught: unknown;
    try {
      await openDataset(testParts(parts));
    } catch (e) {
      caught = e;
    }
    expect(SpgDecodeError.isInstance(caught)).toBe(true);
    expect((caught as SpgDecodeError).file).toBe('broken.wav');
    expect((caught as Error).message).toContain('"broken.wav"');
    const ds = await openDataset(testParts({ ...parts, onError: 'skip' }));
    expect(ds.report().files).toBe(1);
    expect(ds.report().skipped.map((s) => s.path)).toEqual(['broken.wav']);
  });
});

describe('docs/behaviour.md#sizes, #splits errors at open', () => {
  it('split not summing to 1 names split and the value', async () => {
    const e = (await openError({ split: { split: [0.5, 0.3], seed: 0, splitBy: 'file' } })) as SpgConfigError;
    expect(SpgConfigError.isInstance(e)).toBe(true);
    expect(e.issues[0]?.path).toBe('split');
    expect(e.message).toContain('[0.5,0.3]');
  });

  it('a window size that is not whole in frames names windowSizeSec and a value that works', async () => {
    const e = (await openError({
      windows: { windowSizeSec: 0.3205, windowOffsetSec: 0.1, windowContentRatio: 0.5 },
    })) as SpgConfigError;
    expect(e.issues[0]?.path).toBe('windowSizeSec');
    expect(e.message).toContain('0.3205');
    expect(e.message).toMatch(/e\.g\. 0\.32/);
  });

  it('a content ratio outside [0, 1] names windowContentRatio', async () => {
    const e = (await openError({
      windows: { windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 1.5 },
    })) as SpgConfigError;
    expect(e.issues[0]?.path).toBe('windowContentRatio');
    expect(e.message).toContain('1.5');
  });
});

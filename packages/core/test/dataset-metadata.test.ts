import { describe, expect, it } from 'vitest';
import { parseMetadataFile } from '../src/dataset/metadata-schema';
import { SpgMetadataError } from '../src/index';

const bytes = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

function metadataError(value: unknown): SpgMetadataError {
  try {
    parseMetadataFile(bytes(value), 'meta/metadata.json');
  } catch (e) {
    expect(SpgMetadataError.isInstance(e)).toBe(true);
    return e as SpgMetadataError;
  }
  throw new Error('expected SpgMetadataError');
}

describe('parseMetadataFile (docs/behaviour.md#metadata-json)', () => {
  it('accepts the documented shape and fills empty intervals and metadata', () => {
    const parsed = parseMetadataFile(
      bytes({
        'dir/a.wav': { length: 48000, intervals: { speech: [[0, 16000]] }, metadata: { gender: 'f' } },
        'b.wav': {},
      }),
      'metadata.json',
    );
    expect(parsed['dir/a.wav']).toEqual({
      length: 48000,
      intervals: { speech: [[0, 16000]] },
      metadata: { gender: 'f' },
    });
    expect(parsed['b.wav']).toEqual({ intervals: {}, metadata: {} });
  });

  it('rejects text that is not JSON, naming the metadata file', () => {
    const e = metadataError('{ nope');
    expect(e.code).toBe('SPG_METADATA_INVALID_JSON');
    expect(e.message).toContain('meta/metadata.json');
  });

  it('rejects a non-object root', () => {
    expect(metadataError([1, 2]).message).toMatch(/must be a JSON object/);
  });

  it.each([
    ['start > stop', [[20, 10]], 'intervals.speech[0]', /start must be <= stop/],
    [
      'a negative bound',
      [
        [0, 5],
        [-1, 10],
      ],
      'intervals.speech[1][0]',
      /must be >= 0/,
    ],
    ['a non-integer bound', [[0.5, 10]], 'intervals.speech[0][0]', /whole number/],
    ['a non-pair', [[1, 2, 3]], 'intervals.speech[0][2]', /\[start, stop\]/],
  ])('rejects an interval with %s, naming file and field', (_name, speech, field, message) => {
    const e = metadataError({ 'dir/a.wav': { intervals: { speech } } });
    expect(e.code).toBe('SPG_METADATA_BAD_INTERVAL');
    expect(e.file).toBe('dir/a.wav');
    expect(e.field).toBe(field);
    expect(e.message).toContain('"dir/a.wav"');
    expect(e.message).toContain(field);
    expect(e.message).toMatch(message);
  });

  it('rejects a bad length, naming file, field and value', () => {
    const e = metadataError({ 'a.wav': { length: -3 } });
    expect(e.file).toBe('a.wav');
    expect(e.field).toBe('length');
    expect(e.message).toContain('-3');
  });

  it('rejects metadata that is not an object', () => {
    const e = metadataError({ 'a.wav': { metadata: 'f' } });
    expect(e.field).toBe('metadata');
  });

  it.each(['../outside.wav', '/etc/passwd.wav', 'a/../../b.wav', 'C:/x.wav', 'a\\b.wav', './a.wav', ''])(
    'rejects the escaping key %j',
    (key) => {
      const e = metadataError({ [key]: {} });
      expect(e.code).toBe('SPG_METADATA_BAD_KEY');
      expect(e.message).toContain(`"${key}"`);
    },
  );
});

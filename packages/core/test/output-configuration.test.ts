import { describe, expect, it } from 'vitest';
import { parseOutputConfiguration, SpgConfigError } from '../src/index';

function issuesOf(input: unknown) {
  try {
    parseOutputConfiguration(input);
  } catch (error) {
    expect(SpgConfigError.isInstance(error)).toBe(true);
    return (error as SpgConfigError).issues;
  }
  throw new Error('expected an SpgConfigError');
}

describe('parseOutputConfiguration (docs/behaviour.md#options)', () => {
  it('fills the defaults', () => {
    const defaults = { audio: false, spectrogram: true, masks: [], meta: [], label: null };
    expect(parseOutputConfiguration({})).toEqual(defaults);
    expect(parseOutputConfiguration(undefined)).toEqual(defaults);
    expect(parseOutputConfiguration({ masks: ['speech'], label: 'gender' })).toEqual({
      ...defaults,
      masks: ['speech'],
      label: 'gender',
    });
  });

  it('returns fresh arrays (callers may not alias the input)', () => {
    const masks = ['speech'];
    expect(parseOutputConfiguration({ masks }).masks).not.toBe(masks);
  });

  it('names every unknown key and wrong type, with the expected type', () => {
    const issues = issuesOf({ audio: 'yes', masks: ['speech', 3], meta: 'gender', label: 5, labels: 'x' });
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(Object.keys(byPath).sort()).toEqual(['audio', 'label', 'labels', 'masks[1]', 'meta']);
    expect(byPath.audio).toBe('must be a boolean (got "yes")');
    expect(byPath['masks[1]']).toBe('must be a field name (string) (got 3)');
    expect(byPath.meta).toMatch(/^must be a list of field names \(string\[\]\)/);
    expect(byPath.label).toBe('must be a metadata field name (string) or null (got 5)');
    expect(byPath.labels).toBe('is not an output option; use audio, spectrogram, masks, meta or label');
  });

  it('rejects a non-object', () => {
    expect(issuesOf('spectrogram')[0]!.message).toMatch(/must be an object/);
    expect(issuesOf([])[0]!.message).toMatch(/must be an object/);
  });

  it('prefixes paths when nested (the builder passes "output")', () => {
    try {
      parseOutputConfiguration({ spectrogram: 1 }, 'output');
      expect.unreachable();
    } catch (error) {
      expect((error as SpgConfigError).issues[0]!.path).toBe('output.spectrogram');
    }
  });
});

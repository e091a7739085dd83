import { describe, expect, it } from 'vitest';
import { enumerateClasses, labelText, metaFields } from '../src/dataset/label-classes';
import { SpgMetadataError } from '../src/index';

describe('label classes (docs/behaviour.md#items)', () => {
  it('sorts unique string values by code point', () => {
    expect(enumerateClasses(['m', 'f', 'none', 'f', 'M'])).toEqual(['M', 'f', 'm', 'none']);
  });
  it('sorts numbers numerically, not as text', () => {
    expect(enumerateClasses([10, 2, 1, 2])).toEqual(['1', '2', '10']);
  });
  it('is empty for no values', () => {
    expect(enumerateClasses([])).toEqual([]);
  });
  it('accepts strings, numbers and booleans as label values and names file and field otherwise', () => {
    expect(labelText(3, 'a.wav', 'kind')).toBe('3');
    expect(labelText(true, 'a.wav', 'kind')).toBe('true');
    let caught: unknown;
    try {
      labelText({ x: 1 }, 'dir/a.wav', 'kind');
    } catch (e) {
      caught = e;
    }
    expect(SpgMetadataError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/"dir\/a\.wav".*"kind"/);
  });
  it('meta leaves out the field used as label', () => {
    expect(metaFields(['gender', 'kind', 'speaker'], 'kind')).toEqual(['gender', 'speaker']);
    expect(metaFields(['gender'], null)).toEqual(['gender']);
  });
});

import { describe, expect, it } from 'vitest';
import { cacheKey, SpgCacheError, SpgError } from '../src/index';

const file = { path: 'dir/a.wav', size: 100, changeToken: '1700000000000' };

describe('cacheKey', () => {
  it('keeps the path and moves the variant with fingerprint, size and change token', () => {
    const k = cacheKey(file, 'abc');
    expect(k.path).toBe('dir/a.wav');
    expect(k.id).toBe(`dir/a.wav#${k.variant}`);
    expect(cacheKey(file, 'abd').variant).not.toBe(k.variant);
    expect(cacheKey({ ...file, size: 101 }, 'abc').variant).not.toBe(k.variant);
    expect(cacheKey({ ...file, changeToken: '2' }, 'abc').variant).not.toBe(k.variant);
  });
  it.each(['../a.wav', '/etc/passwd', 'a/../../b.wav', '', 'a//b.wav', 'C:/x.wav', 'a\\b.wav', './a.wav'])(
    'rejects the hostile path %j with SpgCacheError',
    (path) => {
      let caught: unknown;
      try {
        cacheKey({ ...file, path }, 'abc');
      } catch (e) {
        caught = e;
      }
      expect(SpgCacheError.isInstance(caught)).toBe(true);
      expect(SpgError.isInstance(caught) && caught.code).toBe('SPG_CACHE_BAD_KEY');
    },
  );
});

import { expect, it } from 'vitest';
import { FS_CACHE_ID } from '../src/index';

it('names its plugin id in the <package-short>/<name> form', () => {
  expect(FS_CACHE_ID).toMatch(/^cache-fs\/[a-z-]+$/);
});

import { expect, it } from 'vitest';
import { JS_MEL_EXTRACTOR_ID } from '../src/index';

it('names its plugin id in the <package-short>/<name> form', () => {
  expect(JS_MEL_EXTRACTOR_ID).toMatch(/^dsp-js\/[a-z-]+$/);
});

// The error-code table of the spgdataset README (the page a new user lands on, on npm) names every
// code the packages can throw, and no code that none of them throws.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { errorCodes } from '../../../scripts/error-codes.mjs';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const readme = readFileSync(join(repo, 'packages', 'spgdataset', 'README.md'), 'utf8');
const thrown = errorCodes(repo);

it('finds the codes the packages throw, including those dsp-wasm builds at run time', () => {
  expect(thrown).toContain('SPG_METADATA_MISSING_ENTRY');
  expect(thrown).toContain('SPG_EXTRACTOR_OUT_OF_MEMORY');
  expect(thrown.length).toBeGreaterThan(50);
});

it('the spgdataset README documents every code', () => {
  const documented = new Set(readme.match(/\bSPG_[A-Z0-9]+(?:_[A-Z0-9]+)+\b/g));
  expect(thrown.filter((code) => !documented.has(code))).toEqual([]);
  expect([...documented].filter((code) => !thrown.includes(code))).toEqual([]);
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  printedExpectations,
  type ReadmeExample,
  readmeExamples,
  readmePaths,
  writeReadmeFixture,
} from '../../../scripts/readme-examples.mjs';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
// Inside tests/integration so the examples resolve every package through its node_modules.
mkdirSync(join(repo, 'tests/integration/node_modules'), { recursive: true });
const dir = mkdtempSync(join(repo, 'tests/integration/node_modules/.readme-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const examples: ReadmeExample[] = readmePaths(repo).flatMap((path) => readmeExamples(repo, path));

it('every package README has a runnable usage example', () => {
  const withExamples = new Set(examples.map((e) => e.readme));
  for (const pkg of [
    'core',
    'dsp-js',
    'dsp-wasm',
    'cache-fs',
    'router',
    'golden-fixtures',
    'scheduler-bullmq',
    'spgdataset',
  ]) {
    expect(withExamples.has(`packages/${pkg}/README.md`), pkg).toBe(true);
  }
});

describe.each(examples.map((e) => [`${e.readme}:${e.line}`, e] as const))('%s', (_name, example) => {
  it('runs as written and prints something', () => {
    const file = join(
      dir,
      `${example.readme.replaceAll('/', '_')}_${example.line}.${example.lang === 'ts' ? 'mts' : 'mjs'}`,
    );
    writeFileSync(file, example.code);
    // A fixture example reads only the files its README describes, written into a folder of its own.
    const cwd = example.fixture ? mkdtempSync(join(dir, 'fixture-')) : repo;
    if (example.fixture) writeReadmeFixture(join(repo, example.readme), cwd);
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', file], {
      cwd,
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(stdout.trim().length).toBeGreaterThan(0);
    if (example.fixture) {
      // What its `console.log(...); // output` comments promise, line for line.
      const promised = printedExpectations(example.code);
      expect(promised.length).toBeGreaterThan(0);
      expect(stdout.trim().split('\n')).toEqual(promised);
    }
  });
});

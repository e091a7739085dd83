import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs repo script without types
import { readmeExamples, readmePaths } from '../../../scripts/readme-examples.mjs';

interface Example {
  readme: string;
  line: number;
  lang: 'ts' | 'js';
  code: string;
}

const repo = fileURLToPath(new URL('../../..', import.meta.url));
// Inside tests/integration so the examples resolve every package through its node_modules.
mkdirSync(join(repo, 'tests/integration/node_modules'), { recursive: true });
const dir = mkdtempSync(join(repo, 'tests/integration/node_modules/.readme-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const examples: Example[] = readmePaths(repo).flatMap((path: string) => readmeExamples(repo, path));

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
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', file], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(stdout.trim().length).toBeGreaterThan(0);
  });
});

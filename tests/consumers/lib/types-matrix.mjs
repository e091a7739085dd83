// Type-checks small programs against the installed tarballs with skipLibCheck off: every
// TypeScript version x every module resolution, ESM and CommonJS consumers, and a browser-only one.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const fixtures = new URL('../fixtures/types/', import.meta.url).pathname;

const strict = {
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  target: 'es2022',
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
};

/** Each row: a consumer setup. `files` are copies of the fixtures under the named extension. */
export const RESOLUTIONS = [
  {
    name: 'node16 (ESM .mts + CJS .cts)',
    options: { module: 'node16', moduleResolution: 'node16', lib: ['es2022'], types: ['node'] },
    files: ['consumer.mts', 'consumer.cts'],
  },
  {
    name: 'nodenext (ESM .mts + CJS .cts)',
    options: { module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: ['node'] },
    files: ['consumer.mts', 'consumer.cts'],
  },
  {
    name: 'bundler (ESM, Node types)',
    options: { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022'], types: ['node'] },
    files: ['consumer.ts'],
  },
  {
    name: 'bundler (browser: DOM lib, no @types/node)',
    options: { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] },
    files: ['browser.ts'],
  },
  {
    name: 'node10 (CJS, legacy)',
    options: { module: 'commonjs', moduleResolution: 'node10', lib: ['es2022'], types: ['node'] },
    files: ['consumer.ts'],
    // TypeScript 7 removed node10 resolution; a consumer there cannot ask for it.
    removedIn: 7,
  },
];

/** Writes the fixtures and one tsconfig per row into `<dir>/types`; returns that folder. */
function prepare(dir) {
  const root = join(dir, 'types');
  mkdirSync(root, { recursive: true });
  for (const ext of ['mts', 'cts', 'ts'])
    copyFileSync(join(fixtures, 'consumer.ts'), join(root, `consumer.${ext}`));
  copyFileSync(join(fixtures, 'browser.ts'), join(root, 'browser.ts'));
  RESOLUTIONS.forEach((row, i) => {
    const config = { compilerOptions: { ...strict, ...row.options }, files: row.files };
    writeFileSync(join(root, `tsconfig.${i}.json`), JSON.stringify(config, null, 2));
  });
  return root;
}

/** Runs `jobs` (async functions) with at most `limit` at a time. */
async function pool(jobs, limit) {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

/** Runs the matrix; resolves to `{ rows: [{ name, cells: { alias: 'ok' | 'n/a' | 'FAIL' } }], failures }`. */
export async function typesMatrix(dir, versions) {
  const root = prepare(dir);
  const rows = RESOLUTIONS.map((row) => ({ name: row.name, cells: {} }));
  const failures = [];
  const jobs = [];
  for (const [i, row] of RESOLUTIONS.entries()) {
    for (const [alias, version] of Object.entries(versions)) {
      if (row.removedIn && Number.parseInt(version, 10) >= row.removedIn) {
        rows[i].cells[alias] = 'n/a';
        continue;
      }
      const tsc = join(dir, 'node_modules', alias, 'bin', 'tsc');
      jobs.push(async () => {
        try {
          await run(process.execPath, [tsc, '-p', `tsconfig.${i}.json`], { cwd: root, maxBuffer: 1 << 24 });
          rows[i].cells[alias] = 'ok';
        } catch (error) {
          rows[i].cells[alias] = 'FAIL';
          const output = (error.stdout || error.stderr || error.message).trim();
          failures.push(`${row.name}, TypeScript ${version}:\n${output}`);
        }
      });
    }
  }
  // Two at a time: the CI machines have two cores; tsc is single-threaded.
  await pool(jobs, 2);
  return { rows, failures };
}

// The `spgdataset` README's worked example (from the packed tarball), as a reader with only its npm page follows it: the
// folder it describes (its metadata.json block, WAVs of the durations and rates it lists) written
// into the scratch project, then its open-a-dataset code run from the installed tarballs as ESM and
// as CommonJS. Every `console.log(...); // output` line must print exactly the output it promises.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  printedExpectations,
  readmeExamples,
  writeReadmeFixture,
} from '../../../scripts/readme-examples.mjs';
import { stripTypes, toCommonJs } from './quickstart.mjs';

/** Returns `{ rows: [[what, result]], failures }`. Reads the README the installed tarball ships. */
export function workedExample(dir) {
  const README = join(dir, 'node_modules', 'spgdataset', 'README.md');
  const examples = readmeExamples(dir, README).filter((e) => e.fixture);
  if (examples.length === 0)
    return { rows: [], failures: ['the packed spgdataset README has no `ts example fixture` block'] };
  const rows = [];
  const failures = [];
  for (const example of examples) {
    const promised = printedExpectations(example.code);
    const esm = stripTypes(example.code);
    for (const [kind, file, code] of [
      ['ESM', `worked-${example.line}.mjs`, esm],
      ['CJS', `worked-${example.line}.cjs`, toCommonJs(esm)],
    ]) {
      const label = `${example.readme}:${example.line} on the folder it describes, as ${kind}`;
      // A fresh folder per run: the CJS run must not reuse the cache the ESM run made.
      const cwd = mkdtempSync(join(dir, 'worked-'));
      try {
        writeReadmeFixture(README, cwd);
        writeFileSync(join(dir, file), code);
        const printed = execFileSync(process.execPath, [join(dir, file)], {
          cwd,
          encoding: 'utf8',
          timeout: 120_000,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
          .trim()
          .split('\n');
        const ok = promised.length > 0 && printed.join('\n') === promised.join('\n');
        rows.push([label, ok ? `ok: ${promised.length} printed lines as promised` : 'FAIL']);
        if (!ok)
          failures.push(
            `${label} printed\n  ${printed.join('\n  ')}\nthe README promises\n  ${promised.join('\n  ')}`,
          );
      } catch (error) {
        rows.push([label, 'FAIL']);
        failures.push(`${label}:\n${error.stderr || error.message}`);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    }
  }
  return { rows, failures };
}

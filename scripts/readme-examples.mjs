// Finds the executable usage examples of the READMEs: fenced blocks whose info string is
// `ts example` or `js example`. tests/integration/test/readme-examples.test.ts runs each one (with
// the repo root as working directory, so `samples/basic` paths work) and fails naming README + line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every README with examples: the root one and each package's. */
export function readmePaths(repo) {
  const packages = readdirSync(join(repo, 'packages')).map((dir) => join(repo, 'packages', dir, 'README.md'));
  return [join(repo, 'README.md'), ...packages].filter((path) => existsSync(path));
}

/** The example blocks of one README: `{ readme, line, lang, code }` (line = the opening fence's). */
export function readmeExamples(repo, readmePath) {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const examples = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|js) example\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]);
    examples.push({
      readme: relative(repo, readmePath),
      line: start + 1,
      lang: open[1],
      code: `${body.join('\n')}\n`,
    });
  }
  return examples;
}

// Checks the packed packages the way users meet them: `npm install ./*.tgz` into an empty project,
// the README quick start run as ESM and CommonJS, declarations type-checked on every TypeScript
// version x module resolution, and a page bundled by Vite (dev and build), esbuild, webpack and
// Rollup, run in headless Chromium and compared with Node. One npm install serves every check.
// Usage: node run.mjs [install] [types] [bundlers]   (default: all). Needs `pnpm build` first.
import { existsSync, rmSync } from 'node:fs';
import { printTable } from './lib/print-table.mjs';
import { quickStart } from './lib/quickstart.mjs';
import { createScratchProject } from './lib/scratch-project.mjs';
import { typesMatrix } from './lib/types-matrix.mjs';
import { workedExample } from './lib/worked-example.mjs';

const CHROMIUM = '/usr/bin/chromium';
const all = ['install', 'types', 'bundlers'];
const phases = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const phase of phases)
  if (!all.includes(phase)) throw new Error(`unknown phase "${phase}"; use ${all.join(', ')}`);

const failures = [];
const seconds = (t) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

let started = performance.now();
const project = createScratchProject({ typescript: phases.includes('types') });
console.log(
  `scratch project: npm install of ${Object.keys(project.tarballs).length} tarballs${phases.includes('types') ? ` + TypeScript ${Object.values(project.versions).join(', ')}` : ''} (${seconds(started)})`,
);
try {
  if (phases.includes('install')) {
    started = performance.now();
    const { rows, failures: runFailures } = quickStart(project.dir, Object.keys(project.tarballs));
    const worked = workedExample(project.dir);
    console.log(`\nInstalled tarballs, run with plain Node (${seconds(started)})\n`);
    printTable(['check', 'result'], [...rows, ...worked.rows]);
    failures.push(...runFailures, ...worked.failures);
  }
  if (phases.includes('types')) {
    started = performance.now();
    const { rows, failures: typeFailures } = await typesMatrix(project.dir, project.versions);
    console.log(`\nDeclarations with skipLibCheck: false (${seconds(started)})\n`);
    printTable(
      ['consumer', ...Object.values(project.versions).map((v) => `TS ${v}`)],
      rows.map((r) => [r.name, ...Object.keys(project.versions).map((a) => r.cells[a])]),
    );
    failures.push(...typeFailures);
  }
  if (phases.includes('bundlers') && !existsSync(CHROMIUM)) {
    // As the other browser tests: `npm test` installs it (scripts/setup.mjs --browser).
    console.log(`\nBundlers: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)`);
  } else if (phases.includes('bundlers')) {
    started = performance.now();
    const { bundlersMatrix } = await import('./lib/bundlers.mjs');
    const { rows, failures: bundleFailures, what } = await bundlersMatrix(project.dir);
    console.log(
      `\nBundled page in headless Chromium vs Node: ${what}, equal bit for bit (${seconds(started)})\n`,
    );
    printTable(['bundler', 'result'], rows);
    failures.push(...bundleFailures);
  }
} finally {
  rmSync(project.dir, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`\n${failures.length} failure(s):\n\n${failures.join('\n\n')}`);
  process.exit(1);
}

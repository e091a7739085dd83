// Package hygiene for every public package: publint, attw on the packed tarball, and an ESM import +
// CJS require smoke test of that tarball installed into a scratch folder.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const packages = readdirSync('packages')
  .map((dir) => ({
    dir: resolve('packages', dir),
    pkg: JSON.parse(readFileSync(join('packages', dir, 'package.json'), 'utf8')),
  }))
  .filter((p) => !p.pkg.private);

const scratch = mkdtempSync(join(tmpdir(), 'spg-packages-'));
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
let failed = false;
try {
  const tarballs = {};
  for (const { dir, pkg } of packages) {
    const out = run('pnpm', ['pack', '--pack-destination', scratch], dir).trim().split('\n').pop();
    tarballs[pkg.name] = out.startsWith('/') ? out : join(scratch, out);
  }
  for (const { dir, pkg } of packages) {
    const label = pkg.name.padEnd(22);
    try {
      run('pnpm', ['exec', 'publint', '--strict'], dir);
      // engines.node >= 20: node10-style resolution (no "exports") is not a target.
      const profile = ['--profile', 'node16'];
      // Subpaths that are not JavaScript (e.g. ./dsp.wasm) have no types to check.
      const assets = Object.entries(pkg.exports ?? {})
        .filter(
          ([sub, target]) =>
            typeof target === 'string' && !/\.(c|m)?js$|package\.json$/.test(target) && sub !== '.',
        )
        .map(([sub]) => sub);
      const exclude = assets.length ? ['--exclude-entrypoints', ...assets] : [];
      run('pnpm', ['exec', 'attw', tarballs[pkg.name], ...profile, ...exclude], dir);
      console.log(`${label} publint ok, attw ok`);
    } catch (error) {
      failed = true;
      console.error(`${label} FAILED\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
    }
  }
  // Install all tarballs together (they depend on each other) and import/require each one.
  const app = join(scratch, 'app');
  mkdirSync(app);
  const dependencies = Object.fromEntries(Object.entries(tarballs).map(([n, t]) => [n, `file:${t}`]));
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'smoke', private: true, dependencies, pnpm: { overrides: dependencies } }),
  );
  run('pnpm', ['install', '--ignore-scripts', '--prefer-offline', '--config.confirmModulesPurge=false'], app);
  for (const name of Object.keys(tarballs)) {
    const esm = `import * as m from '${name}'; if (Object.keys(m).length === 0) throw new Error('no exports');`;
    const cjs = `const m = require('${name}'); if (Object.keys(m).length === 0) throw new Error('no exports');`;
    try {
      run('node', ['--input-type=module', '-e', esm], app);
      run('node', ['-e', cjs], app);
      console.log(`${name.padEnd(22)} import ok, require ok`);
    } catch (error) {
      failed = true;
      console.error(`${name.padEnd(22)} import/require FAILED\n${error.stderr ?? error.message}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// One scratch npm project shared by every consumer check: the packed tarballs installed with a plain
// `npm install ./*.tgz` (as a user would), then the TypeScript versions of the type matrix.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { packAll } from '../../../scripts/pack-all.mjs';

/** TypeScript versions of the matrix: npm alias -> range. `latest` is whatever npm says today. */
export const TYPESCRIPT_VERSIONS = {
  'ts-5.4': '~5.4.0',
  'ts-5.6': '~5.6.0',
  'ts-5.9': '~5.9.0',
  'ts-latest': 'latest',
};

export const repo = new URL('../../../', import.meta.url).pathname;

function npm(args, cwd) {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Packs the workspace, installs the tarballs into an empty npm project outside the repository (so
 * nothing resolves from the workspace's node_modules) and returns `{ dir, tarballs, versions }`.
 * Outside the repo, in the OS temp folder: the caller removes `dir`.
 */
export function createScratchProject({ typescript = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'spg-consumer-'));
  const packs = join(dir, 'packs');
  const tarballs = packAll(packs);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true }, null, 2)}\n`,
  );
  // Exactly what a user runs: plain npm, relative tarball paths, no workspace protocol anywhere.
  const files = readdirSync(packs).map((f) => `./packs/${f}`);
  npm(['install', ...files], dir);
  const versions = {};
  if (typescript) {
    const aliases = Object.entries(TYPESCRIPT_VERSIONS).map(
      ([alias, range]) => `${alias}@npm:typescript@${range}`,
    );
    npm(['install', '--save-dev', ...aliases, '@types/node@20'], dir);
    for (const alias of Object.keys(TYPESCRIPT_VERSIONS)) {
      versions[alias] = execFileSync(
        process.execPath,
        [join(dir, 'node_modules', alias, 'bin', 'tsc'), '--version'],
        {
          encoding: 'utf8',
        },
      )
        .trim()
        .replace(/^Version /, '');
    }
  }
  return {
    dir,
    tarballs: Object.fromEntries(Object.entries(tarballs).map(([n, t]) => [n, basename(t)])),
    versions,
  };
}

/** Copies samples/basic into the scratch project (the quick start reads `samples/basic`). */
export function copySamples(dir) {
  mkdirSync(join(dir, 'samples'), { recursive: true });
  cpSync(join(repo, 'samples', 'basic'), join(dir, 'samples', 'basic'), { recursive: true });
}

// Packs every public package with `pnpm pack` (which rewrites `workspace:` ranges to real versions;
// `npm pack` does not, and its tarballs fail to install with `Unsupported URL Type "workspace:"`).
// Usage: `pnpm pack:all [dir]` (default .tmp/packs). Prints one tarball path per line.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The public (non-private) packages under packages/: `{ dir, name, pkg }`. */
export function publicPackages() {
  return readdirSync(join(repo, 'packages'))
    .map((name) => {
      const dir = join(repo, 'packages', name);
      return { dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) };
    })
    .filter(({ pkg }) => !pkg.private)
    .map(({ dir, pkg }) => ({ dir, name: pkg.name, pkg }));
}

/**
 * Packs each public package into `destination` (emptied first) and returns `{ [name]: tarball }`.
 * Needs built packages (`pnpm build`).
 */
export function packAll(destination) {
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  const tarballs = {};
  for (const { dir, name } of publicPackages()) {
    const out = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const last = out.trim().split('\n').pop();
    tarballs[name] = last.startsWith('/') ? last : join(destination, last);
  }
  return tarballs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const destination = resolve(process.argv[2] ?? join(repo, '.tmp', 'packs'));
  for (const tarball of Object.values(packAll(destination))) console.log(tarball);
}

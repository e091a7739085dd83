import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const changesetBin = join(repo, 'node_modules', '@changesets', 'cli', 'bin.js');
const scratch: string[] = [];

/** A copy of the workspace manifests (no pending changesets) where `changeset version` can run. */
function workspaceCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spg-changesets-'));
  scratch.push(dir);
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json']) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repo, file), join(dir, file));
  }
  for (const group of ['packages', 'apps', 'tests']) {
    for (const name of readdirSync(join(repo, group))) {
      mkdirSync(join(dir, group, name), { recursive: true });
      cpSync(join(repo, group, name, 'package.json'), join(dir, group, name, 'package.json'));
    }
  }
  return dir;
}

function versions(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, 'packages'))) {
    const pkg = JSON.parse(readFileSync(join(dir, 'packages', name, 'package.json'), 'utf8'));
    out[pkg.name] = pkg.version;
  }
  return out;
}

function version(dir: string, bumps: Record<string, string>) {
  const front = Object.entries(bumps).map(([name, bump]) => `"${name}": ${bump}`);
  writeFileSync(join(dir, '.changeset', 'test-change.md'), `---\n${front.join('\n')}\n---\n\nA change.\n`);
  execFileSync('node', [changesetBin, 'version'], { cwd: dir, stdio: 'pipe' });
}

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('changeset version bumps only the package a changeset names when nothing depends on it', () => {
  const dir = workspaceCopy();
  const before = versions(dir);
  version(dir, { spgdataset: 'minor' });
  const after = versions(dir);
  for (const [name, v] of Object.entries(before)) {
    if (name === 'spgdataset') expect(after[name]).not.toBe(v);
    else expect(after[name], name).toBe(v);
  }
});

it('versions are independent: a plugin bump leaves core and the other plugins alone', () => {
  const dir = workspaceCopy();
  const before = versions(dir);
  version(dir, { '@spgdataset/router': 'patch' });
  const after = versions(dir);
  expect(after['@spgdataset/router']).not.toBe(before['@spgdataset/router']);
  for (const name of [
    '@spgdataset/core',
    '@spgdataset/dsp-js',
    '@spgdataset/dsp-wasm',
    '@spgdataset/cache-fs',
  ]) {
    expect(after[name], name).toBe(before[name]);
  }
});

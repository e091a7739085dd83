// Installs what a fresh machine lacks, idempotently and quickly when everything is present:
//   1. pnpm 10 (npm i -g pnpm@10),
//   2. the workspace dependencies (pnpm install, frozen lockfile),
//   3. a rustc that targets wasm32-unknown-unknown (apt on Debian/Ubuntu, rustup elsewhere),
//   4. with --browser (the test run): Debian's chromium for the headless browser tests, and
//      python3-numpy for the test that reads exported shards with Python's tarfile and numpy.
//   5. with --redis: Debian's redis-server for the distributed-build tests and bench (BullMQ).
// Used by both README commands (`npm run demo`, `npm test`).
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWasmRustc, INSTALL_HINT } from '../packages/dsp-wasm/scripts/find-wasm-rustc.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const wantBrowser = process.argv.includes('--browser');
const wantRedis = process.argv.includes('--redis');
const log = (m) => console.log(`[setup] ${m}`);

function has(cmd, args = ['--version']) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = isRoot ? '' : has('sudo', ['-n', 'true']) ? 'sudo -n ' : undefined;
let aptUpdated = false;

function aptInstall(packages) {
  if (sudo === undefined || !has('apt-get')) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    log('apt-get update');
    execSync(`${sudo}apt-get update -qq`, { stdio: 'inherit', env });
    aptUpdated = true;
  }
  log(`apt-get install ${packages.join(' ')}`);
  execSync(`${sudo}apt-get install -y -qq --no-install-recommends ${packages.join(' ')}`, {
    stdio: 'inherit',
    env,
  });
  return true;
}

// 1. pnpm
function pnpmVersion() {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
const pnpm = pnpmVersion();
if (!pnpm || Number(pnpm.split('.')[0]) < 10) {
  log(`installing pnpm 10 (found ${pnpm ?? 'none'})`);
  execSync('npm install -g pnpm@10', { stdio: 'inherit' });
}

// 2. workspace dependencies: skip when node_modules is newer than the lockfile.
const lock = join(repo, 'pnpm-lock.yaml');
const marker = join(repo, 'node_modules', '.modules.yaml');
const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
if (!fresh) {
  log('pnpm install');
  execSync('pnpm install --frozen-lockfile', { cwd: repo, stdio: 'inherit' });
}

// 3. a rustc with the wasm32 target (needed to build @spgdataset/dsp-wasm from source).
if (!findWasmRustc()) {
  log('no rustc with the wasm32-unknown-unknown target; installing one');
  if (!aptInstall(['rustc', 'libstd-rust-dev-wasm32', 'lld']) && has('rustup')) {
    execSync('rustup target add wasm32-unknown-unknown', { stdio: 'inherit' });
  }
  if (!findWasmRustc()) {
    console.error(`[setup] ${INSTALL_HINT}`);
    process.exit(1);
  }
}

// 4. chromium for the headless browser tests (never a browser download by a test tool).
if (wantBrowser && !existsSync('/usr/bin/chromium')) {
  log('installing Debian chromium for the browser tests');
  if (!aptInstall(['chromium'])) {
    console.error(
      '[setup] The browser tests need Chromium at /usr/bin/chromium (Debian: apt-get install chromium).',
    );
    process.exit(1);
  }
}
// 5. numpy for the shard interoperability test (spgdataset: Python reads the exported tar shards).
if (wantBrowser && !has('python3', ['-c', 'import numpy'])) {
  log('installing Debian python3-numpy for the shard interoperability test');
  if (!aptInstall(['python3-numpy'])) {
    console.error(
      '[setup] The shard interoperability test needs numpy (Debian: apt-get install python3-numpy); it is skipped without it.',
    );
  }
}
// 6. redis-server for the distributed-build tests: started by the tests themselves on 127.0.0.1 and a
// free port (BullMQ needs Redis >= 6.2; Debian 12 has 7.0). Without it those tests skip, saying why.
if (wantRedis && !has('redis-server')) {
  log('installing Debian redis-server for the distributed-build tests');
  if (!aptInstall(['redis-server']))
    console.warn(
      '[setup] Could not install redis-server (Debian: apt-get install redis-server); the distributed-build tests will be skipped.',
    );
}
log('ready');

// Installs what a fresh machine lacks, idempotently and quickly when everything is present:
//   1. pnpm 10 (npm i -g pnpm@10),
//   2. the workspace dependencies (pnpm install, frozen lockfile),
//   3. a rustc that targets wasm32-unknown-unknown: the wasm32 target added to an existing rustup
//      toolchain if there is one, else Debian/Ubuntu's packages (apt),
//   4. with --browser (the test run): Debian's chromium for the headless browser tests, and
//      python3-numpy for the test that reads exported shards with Python's tarfile and numpy.
//   5. with --redis: Debian's redis-server for the distributed-build tests and bench (BullMQ).
// apt waits for another apt/dpkg process to release its lock (SPG_APT_LOCK_TIMEOUT seconds, default
// 600). Failures print one line saying what to do, never a stack trace.
// Used by both README commands (`npm run demo`, `npm test`).
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWasmRustc, INSTALL_HINT } from '../packages/dsp-wasm/scripts/find-wasm-rustc.mjs';
import {
  describeHolders,
  findRustup,
  rustInstallPlan,
  rustupToolchains,
  waitForAptLock,
} from './setup-steps.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const wantBrowser = process.argv.includes('--browser');
const wantRedis = process.argv.includes('--redis');
// biome-ignore lint/suspicious/noUndeclaredEnvVars: setup runs before and outside turbo
const lockTimeoutSeconds = Number(process.env.SPG_APT_LOCK_TIMEOUT ?? 600);
const log = (m) => console.log(`[setup] ${m}`);

/** A failure the user can act on: printed as one line, no stack. */
class SetupError extends Error {}

function has(cmd, args = ['--version']) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a shell command with its output shown; a failure becomes a SetupError naming it. */
function sh(command, options = {}) {
  try {
    execSync(command, { stdio: 'inherit', ...options });
  } catch (error) {
    throw new SetupError(
      `\`${command}\` failed (exit code ${error.status ?? error.signal}); see its output above.`,
    );
  }
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = isRoot ? '' : has('sudo', ['-n', 'true']) ? 'sudo -n ' : undefined;
const canApt = sudo !== undefined && has('apt-get');
let aptUpdated = false;

async function aptGet(args) {
  const waited = await waitForAptLock({ timeoutMs: lockTimeoutSeconds * 1000, log });
  if (!waited.ok) {
    throw new SetupError(
      `${describeHolders(waited.holders)} still holds the apt/dpkg lock after ${lockTimeoutSeconds} s; let it finish (or stop it) and run this again (SPG_APT_LOCK_TIMEOUT=<seconds> waits longer).`,
    );
  }
  // apt waits for the lock itself too (another apt may start between our check and this command).
  sh(`${sudo}apt-get -o DPkg::Lock::Timeout=${lockTimeoutSeconds} ${args}`, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

async function aptInstall(packages) {
  if (!canApt) return false;
  if (!aptUpdated) {
    log('apt-get update');
    await aptGet('update -qq');
    aptUpdated = true;
  }
  log(`apt-get install ${packages.join(' ')}`);
  await aptGet(`install -y -qq --no-install-recommends ${packages.join(' ')}`);
  return true;
}

function pnpmVersion() {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

async function main() {
  // 1. pnpm
  const pnpm = pnpmVersion();
  if (!pnpm || Number(pnpm.split('.')[0]) < 10) {
    log(`installing pnpm 10 (found ${pnpm ?? 'none'})`);
    sh('npm install -g pnpm@10');
  }

  // 2. workspace dependencies: skip when node_modules is newer than the lockfile.
  const lock = join(repo, 'pnpm-lock.yaml');
  const marker = join(repo, 'node_modules', '.modules.yaml');
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (!fresh) {
    log('pnpm install');
    sh('pnpm install --frozen-lockfile', { cwd: repo });
  }

  // 3. a rustc with the wasm32 target (needed to build @spgdataset/dsp-wasm from source).
  if (!findWasmRustc()) {
    const rustup = findRustup();
    const plan = rustInstallPlan({ rustup, toolchains: rustup ? rustupToolchains(rustup) : [], canApt });
    for (const step of plan) {
      if (step === 'rustup-target') {
        log(`adding the wasm32-unknown-unknown target to the rustup toolchain (${rustup})`);
        try {
          execFileSync(rustup, ['target', 'add', 'wasm32-unknown-unknown'], {
            stdio: 'inherit',
            timeout: 300_000,
          });
        } catch {
          log('rustup could not add the target (offline?); trying the next way');
        }
      } else {
        log('no rustc with the wasm32-unknown-unknown target; installing Debian packages');
        await aptInstall(['rustc', 'libstd-rust-dev-wasm32', 'lld']);
      }
      if (findWasmRustc()) break;
    }
    if (!findWasmRustc()) throw new SetupError(INSTALL_HINT.replaceAll('\n', ' '));
  }

  // 4. chromium for the headless browser tests (never a browser download by a test tool).
  if (wantBrowser && !existsSync('/usr/bin/chromium')) {
    log('installing Debian chromium for the browser tests');
    if (!(await aptInstall(['chromium']))) {
      throw new SetupError(
        'The browser tests need Chromium at /usr/bin/chromium (Debian: apt-get install chromium).',
      );
    }
  }
  // 5. numpy for the shard interoperability test (spgdataset: Python reads the exported tar shards).
  if (wantBrowser && !has('python3', ['-c', 'import numpy'])) {
    log('installing Debian python3-numpy for the shard interoperability test');
    if (!(await aptInstall(['python3-numpy']))) {
      log(
        'The shard interoperability test needs numpy (Debian: apt-get install python3-numpy); it is skipped without it.',
      );
    }
  }
  // 6. redis-server for the distributed-build tests: started by the tests themselves on 127.0.0.1 and a
  // free port (BullMQ needs Redis >= 6.2; Debian 12 has 7.0). Without it those tests skip, saying why.
  if (wantRedis && !has('redis-server')) {
    log('installing Debian redis-server for the distributed-build tests');
    if (!(await aptInstall(['redis-server'])))
      log(
        'Could not install redis-server (Debian: apt-get install redis-server); the distributed-build tests will be skipped.',
      );
  }
  log('ready');
}

main().catch((error) => {
  if (error instanceof SetupError) console.error(`[setup] ${error.message}`);
  else console.error(`[setup] unexpected failure (please report it): ${error?.stack ?? error}`);
  process.exit(1);
});

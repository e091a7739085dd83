// The decisions of scripts/setup.mjs that are worth testing on their own (tests/integration):
// who holds the apt/dpkg lock, waiting for it with a timeout, and which way to get a wasm32 rustc.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Process names that take apt's or dpkg's locks. */
const APT_PROCESSES = /^(apt|apt-get|aptitude|dpkg|unattended-upgr|packagekitd|apt\.systemd\.dai)/;

/** Running apt/dpkg processes, `{ pid, name }`, read from /proc (Linux; other systems: none). */
export function aptLockHolders(procRoot = '/proc', self = process.pid) {
  if (!existsSync(procRoot)) return [];
  const holders = [];
  for (const entry of readdirSync(procRoot)) {
    if (!/^\d+$/.test(entry) || Number(entry) === self) continue;
    try {
      const name = readFileSync(join(procRoot, entry, 'comm'), 'utf8').trim();
      if (APT_PROCESSES.test(name)) holders.push({ pid: Number(entry), name });
    } catch {
      // the process ended while we looked
    }
  }
  return holders;
}

/**
 * Waits until `holders()` is empty, polling every `pollMs`, at most `timeoutMs`. Says once what it
 * waits for. Resolves to `{ ok: true }` or `{ ok: false, holders }` when the time is up.
 */
export async function waitForAptLock({ holders = () => aptLockHolders(), timeoutMs, pollMs = 2000, log }) {
  const started = Date.now();
  let current = holders();
  if (current.length === 0) return { ok: true };
  log(
    `waiting for ${describeHolders(current)} to finish (apt/dpkg lock; up to ${Math.round(timeoutMs / 1000)} s)`,
  );
  while (Date.now() - started < timeoutMs) {
    await new Promise((done) => setTimeout(done, pollMs));
    current = holders();
    if (current.length === 0) return { ok: true };
  }
  return { ok: false, holders: current };
}

export function describeHolders(holders) {
  return holders.map((h) => `${h.name} (pid ${h.pid})`).join(', ');
}

/** rustup's executable: on PATH, or in $CARGO_HOME/bin / ~/.cargo/bin (often not on PATH). */
export function findRustup(env = process.env) {
  const places = [join(env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', 'rustup')];
  try {
    places.unshift(execFileSync('which', ['rustup'], { encoding: 'utf8', env }).trim());
  } catch {
    // not on PATH
  }
  return places.find((p) => p && existsSync(p));
}

/** Installed rustup toolchains (empty when rustup has none or fails). */
export function rustupToolchains(rustup) {
  try {
    return execFileSync(rustup, ['toolchain', 'list'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !/^no installed toolchains/.test(line));
  } catch {
    return [];
  }
}

/**
 * How to get a rustc with the wasm32 target when none is found, in order: add the target to an
 * existing rustup toolchain (no second compiler), else the system's packages. A rustup without
 * any toolchain is not used (it would download a whole toolchain).
 */
export function rustInstallPlan({ rustup, toolchains, canApt }) {
  const plan = [];
  if (rustup && toolchains.length > 0) plan.push('rustup-target');
  if (canApt) plan.push('apt');
  return plan;
}

// scripts/setup.mjs decisions: it finds apt/dpkg processes holding the lock, waits for them with a
// timeout (saying once what it waits for), and prefers adding wasm32 to an existing rustup toolchain
// over installing Debian's rustc.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  aptLockHolders,
  describeHolders,
  rustInstallPlan,
  waitForAptLock,
} from '../../../scripts/setup-steps.mjs';

const proc = mkdtempSync(join(tmpdir(), 'spg-fake-proc-'));
afterAll(() => rmSync(proc, { recursive: true, force: true }));

describe('apt/dpkg lock', () => {
  it('finds apt and dpkg processes in /proc, not others and not itself', () => {
    const processes: Record<string, string> = {
      '101': 'apt-get',
      '102': 'node',
      '103': 'dpkg',
      '104': 'unattended-upgr',
      '105': 'bash',
      '106': 'apt-get',
    };
    for (const [pid, name] of Object.entries(processes)) {
      mkdirSync(join(proc, pid));
      writeFileSync(join(proc, pid, 'comm'), `${name}\n`);
    }
    mkdirSync(join(proc, 'self'));
    const found = aptLockHolders(proc, 106).sort((a, b) => a.pid - b.pid);
    expect(found).toEqual([
      { pid: 101, name: 'apt-get' },
      { pid: 103, name: 'dpkg' },
      { pid: 104, name: 'unattended-upgr' },
    ]);
    expect(describeHolders(found.slice(0, 2))).toBe('apt-get (pid 101), dpkg (pid 103)');
    expect(aptLockHolders(join(proc, 'missing'))).toEqual([]);
  });

  it('waits until the holder is gone, saying once what it waits for', async () => {
    const lines: string[] = [];
    let polls = 0;
    const result = await waitForAptLock({
      holders: () => (polls++ < 3 ? [{ pid: 7, name: 'apt-get' }] : []),
      timeoutMs: 5000,
      pollMs: 5,
      log: (line) => lines.push(line),
    });
    expect(result).toEqual({ ok: true });
    expect(polls).toBe(4);
    expect(lines).toEqual(['waiting for apt-get (pid 7) to finish (apt/dpkg lock; up to 5 s)']);
  });

  it('gives up after the timeout and returns who still holds the lock', async () => {
    const started = Date.now();
    const result = await waitForAptLock({
      holders: () => [{ pid: 8, name: 'dpkg' }],
      timeoutMs: 60,
      pollMs: 10,
      log: () => {},
    });
    expect(result).toEqual({ ok: false, holders: [{ pid: 8, name: 'dpkg' }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });

  it('does not wait or speak when nothing holds the lock', async () => {
    const lines: string[] = [];
    const result = await waitForAptLock({ holders: () => [], timeoutMs: 1000, log: (l) => lines.push(l) });
    expect(result).toEqual({ ok: true });
    expect(lines).toEqual([]);
  });
});

describe('getting a rustc with the wasm32 target', () => {
  it('adds the target to an existing rustup toolchain before trying apt', () => {
    expect(rustInstallPlan({ rustup: '/r/rustup', toolchains: ['stable'], canApt: true })).toEqual([
      'rustup-target',
      'apt',
    ]);
    expect(rustInstallPlan({ rustup: '/r/rustup', toolchains: ['stable'], canApt: false })).toEqual([
      'rustup-target',
    ]);
  });

  it('uses apt when rustup is absent or has no toolchain (it would download a whole one)', () => {
    expect(rustInstallPlan({ rustup: undefined, toolchains: [], canApt: true })).toEqual(['apt']);
    expect(rustInstallPlan({ rustup: '/r/rustup', toolchains: [], canApt: true })).toEqual(['apt']);
    expect(rustInstallPlan({ rustup: undefined, toolchains: [], canApt: false })).toEqual([]);
  });
});

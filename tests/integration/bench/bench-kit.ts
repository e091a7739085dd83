// Shared pieces of the integration benches: one-core pinning, test corpora, tables, and the
// packages of the checkout a bench runs against (`SPG_ROOT`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chirpWav } from '../../../scripts/test-wav.mjs';

/** The repository whose built packages a bench runs: `SPG_ROOT` (another checkout) or this one. */
export const repoRoot = resolve(process.env.SPG_ROOT ?? fileURLToPath(new URL('../../..', import.meta.url)));

/** Imports a built package of `repoRoot` by its folder under packages/ (e.g. 'spgdataset'). */
export async function importBuilt<T>(pkg: string, entry = 'dist/index.js'): Promise<T> {
  return (await import(pathToFileURL(join(repoRoot, 'packages', pkg, entry)).href)) as T;
}

/**
 * Re-runs this process under `taskset -c <cpus>` once (Linux, when taskset exists), so "one core"
 * means one core. Returns when already pinned or when pinning is impossible.
 */
export function pinTo(cpus: string): void {
  if (process.platform !== 'linux' || process.env.SPG_BENCH_PINNED) return;
  if (spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status !== 0) return;
  const run = spawnSync(
    'taskset',
    ['-c', cpus, process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, SPG_BENCH_PINNED: cpus },
    },
  );
  process.exit(run.status ?? 1);
}

/** What the machine was doing: load averages and cores, printed under every table. */
export function loadLine(): string {
  const [one, five, fifteen] = loadavg().map((x) => x.toFixed(2));
  return `load average ${one}, ${five}, ${fifteen} (1, 5, 15 min) on ${navigatorCores()} cores`;
}

function navigatorCores(): number {
  return cpus().length;
}

/** Writes `files` WAVs of `seconds` at `rate` into `root` (clip-000.wav, ...); returns their names. */
export function writeWavCorpus(root: string, files: number, seconds: number, rate: number): string[] {
  mkdirSync(root, { recursive: true });
  const names: string[] = [];
  for (let f = 0; f < files; f++) {
    const name = `clip-${String(f).padStart(3, '0')}.wav`;
    writeFileSync(join(root, name), chirpWav(seconds, rate, f + 1));
    names.push(name);
  }
  return names;
}

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Minor page faults of this process (all threads) so far. */
export const pageFaults = () => process.resourceUsage().minorPageFault;

/** A markdown table with padded columns. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) => `| ${head.map((_, c) => (row[c] ?? '').padEnd(widths[c]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => `-${'-'.repeat(w)}:`).join('|')}|`, ...rows.map(line)].join('\n');
}

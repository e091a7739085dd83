import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const metadata = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../samples/basic/metadata.json', import.meta.url)), 'utf8'),
) as Record<
  string,
  { length?: number; intervals: { speech: [number, number][] }; metadata: { gender: string } }
>;

/** Speech frames of a window by docs/behaviour.md#items, computed here from metadata.json (hop 160, 192 frames). */
function expectedCoverage(path: string, window: number): number {
  const entry = metadata[path]!;
  const s = window * 1600;
  const frames = new Set<number>();
  for (const [lo, hi] of entry.intervals.speech) {
    const a = Math.max(lo, s);
    const b = Math.min(hi, s + 30720);
    if (b <= a) continue;
    const cap = entry.length === undefined ? Number.POSITIVE_INFINITY : Math.ceil(entry.length / 160) - 1;
    for (let f = Math.floor(a / 160); f < Math.min(Math.ceil(b / 160), cap); f++) frames.add(f);
  }
  return (frames.size / 192) * 100;
}

function run(): string {
  return execFileSync('pnpm', ['exec', 'tsx', 'src/quickstart.ts'], { cwd, encoding: 'utf8' });
}

it('the quickstart opens the samples and prints shapes, mask coverage and labels', () => {
  rmSync(fileURLToPath(new URL('../../../.tmp/quickstart', import.meta.url)), {
    recursive: true,
    force: true,
  });
  const out = run();
  expect(out).toMatch(/files: 8, windows kept: \d+, classes: \[noise, speech\]/);
  // 5 speech files have kept windows; the 3 noise files have no speech (warned once each problem)
  expect(out).toMatch(/spectrograms \(dsp-(wasm|js)\/log-mel\): 5 computed, 0 from the cache; index built/);
  expect(out).toMatch(/note: 3 files have no window with content ratio >= 0\.5 of masks \[speech\]/);
  const lines = out.split('\n').filter((l) => l.startsWith('train['));
  expect(lines).toHaveLength(4);
  for (const line of lines) {
    const [, path, window] = /^train\[\d+\] (\S+) window (\d+)/.exec(line)!;
    expect(line).toContain('spectrogram [80, 192]');
    expect(line).toContain('audio [30720]');
    expect(line).toContain('label 1 (speech)');
    expect(line).toContain(`meta {"gender":"${metadata[path!]!.metadata.gender}"}`);
    const coverage = Number(/speech mask ([\d.]+)%/.exec(line)![1]);
    expect(coverage).toBeCloseTo(expectedCoverage(path!, Number(window)), 1);
    expect(coverage).toBeGreaterThanOrEqual(45);
  }
  // second run: nothing is recomputed
  expect(run()).toMatch(/\): 0 computed, 5 from the cache; index reused/);
});

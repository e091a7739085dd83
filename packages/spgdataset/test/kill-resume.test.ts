import { spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOpenChild } from './fixtures-reliability/bundle-open-child';
import { variedCorpus, writeCorpus } from './fixtures-reliability/corpus';

// A child process opens a dataset on a generated corpus and is SIGKILLed while indexing, generating
// or preloading; a restart must end with the same dataset and byte-identical cache entries as an
// uninterrupted run in another folder. Deterministic kill points: the child kills itself from
// onProgress after k steps of a phase. Random kill points: the parent kills at a random time within the work of an uninterrupted run.
// Generation runs in the opening thread (numWorkers 0): openSpectrogramDataset does not yet pass a
// worker pool to the dataset, so numWorkers > 0 would not exercise workers here.

const FILES = 30;
let script: string;
const roots: string[] = [];
/** Template corpora: lengths measured by decoding (work happens while indexing) or given (while generating). */
const templates: Record<'measured' | 'given', string> = { measured: '', given: '' };

interface Summary {
  modes: { length: number; locations: string[] }[];
  items: string[];
  classes: string[];
  files: number;
  skipped: unknown[];
  spectrograms: { generated: number; cached: number; regenerated: number; lengthsMeasured: number };
  indexReused: boolean;
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  summary: Summary | undefined;
  progress: string[];
  stderr: string;
  /** From the first progress event to the exit. */
  workMs: number;
}

/** Runs the child; `killAfterMs` SIGKILLs it that long after its first progress event. */
function run(root: string, env: Record<string, string> = {}, killAfterMs?: number): Promise<RunResult> {
  const started = performance.now();
  let firstProgress: number | undefined;
  const child = spawn(process.execPath, [script, root], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (firstProgress === undefined && stdout.includes('progress ')) {
      firstProgress = performance.now();
      if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((done) =>
    child.on('close', (code, signal) => {
      const lines = stdout.split('\n');
      const summaryLine = lines.find((l) => l.startsWith('summary '));
      done({
        code,
        signal,
        summary: summaryLine ? (JSON.parse(summaryLine.slice(8)) as Summary) : undefined,
        progress: lines.filter((l) => l.startsWith('progress ')),
        stderr,
        workMs: performance.now() - (firstProgress ?? started),
      });
    }),
  );
}

const FIXED_TIME = new Date('2026-01-02T03:04:05Z');

function freshCopy(template: string): string {
  const root = mkdtempSync(join(tmpdir(), 'spg-kill-'));
  roots.push(root);
  cpSync(join(template, 'audio'), join(root, 'audio'), { recursive: true });
  cpSync(join(template, 'metadata.json'), join(root, 'metadata.json'));
  // Same mtimes as every other copy, so cache keys (path, size, mtime) and entry names agree.
  for (const f of readdirSync(join(root, 'audio'), { recursive: true, withFileTypes: true }))
    if (f.isFile()) utimesSync(join(f.parentPath, f.name), FIXED_TIME, FIXED_TIME);
  return root;
}

/** Every finished cache entry, relative path -> bytes (temporary files of killed writes excluded). */
function npyFiles(root: string): Map<string, Buffer> {
  const dir = join(root, 'spectrograms');
  const out = new Map<string, Buffer>();
  for (const f of readdirSync(dir, { recursive: true }) as string[])
    if (f.endsWith('.npy')) out.set(f, readFileSync(join(dir, f)));
  return out;
}

function expectSameCache(actual: Map<string, Buffer>, expected: Map<string, Buffer>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  const differing = [...expected].filter(([f, bytes]) => !actual.get(f)!.equals(bytes)).map(([f]) => f);
  expect(differing).toEqual([]);
}

const references = new Map<string, { summary: Summary; cache: Map<string, Buffer> }>();

/** The uninterrupted run of a configuration, in its own folder (computed once). */
async function reference(flavour: 'measured' | 'given', env: Record<string, string> = {}) {
  const id = `${flavour} ${JSON.stringify(env)}`;
  let ref = references.get(id);
  if (!ref) {
    const root = freshCopy(templates[flavour]);
    const result = await run(root, env);
    expect(result.code, result.stderr).toBe(0);
    ref = { summary: result.summary!, cache: npyFiles(root) };
    references.set(id, ref);
  }
  return ref;
}

/** Restarts in `root` and checks the result equals the uninterrupted run. */
async function expectResumed(root: string, flavour: 'measured' | 'given', env: Record<string, string> = {}) {
  const ref = await reference(flavour, env);
  const resumed = await run(root, env);
  expect(resumed.code, resumed.stderr).toBe(0);
  const s = resumed.summary!;
  expect(s.modes).toEqual(ref.summary.modes);
  expect(s.items).toEqual(ref.summary.items);
  expect(s.classes).toEqual(ref.summary.classes);
  expect(s.skipped).toEqual([]);
  expectSameCache(npyFiles(root), ref.cache);
  return s;
}

beforeAll(async () => {
  script = await bundleOpenChild();
  const files = variedCorpus(FILES);
  for (const flavour of ['measured', 'given'] as const) {
    const root = mkdtempSync(join(tmpdir(), `spg-kill-template-${flavour}-`));
    roots.push(root);
    mkdirSync(join(root, 'audio'));
    const metadata = writeCorpus(join(root, 'audio'), files) as Record<string, { length?: number }>;
    if (flavour === 'measured') for (const entry of Object.values(metadata)) delete entry.length;
    writeFileSync(join(root, 'metadata.json'), JSON.stringify(metadata));
    templates[flavour] = root;
  }
});

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  if (script) rmSync(dirname(script), { recursive: true, force: true });
});

describe('kill and resume (deterministic kill points)', () => {
  it('the uninterrupted runs index every file and give items in both split parts', async () => {
    const measured = await reference('measured');
    const given = await reference('given');
    expect(measured.summary.files).toBe(FILES);
    expect(measured.summary.modes.every((m) => m.length > 0)).toBe(true);
    expect(measured.summary.spectrograms.lengthsMeasured).toBe(FILES);
    // Both flavours describe the same audio with the same lengths, so they are the same dataset.
    expect(given.summary.items).toEqual(measured.summary.items);
    expectSameCache(given.cache, measured.cache);
    expect(measured.cache.size).toBeGreaterThan(20);
  });

  it.each([1, 12, FILES - 1])('SIGKILL while indexing after %i files', async (k) => {
    const root = freshCopy(templates.measured);
    const killed = await run(root, { KILL_PHASE: 'index', KILL_AFTER: String(k) });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.summary).toBeUndefined();
    expect(killed.progress.filter((p) => p.startsWith('progress index'))).toHaveLength(k);
    const resumed = await expectResumed(root, 'measured');
    // The spectrograms made before the kill are reused, not made again.
    expect(resumed.indexReused).toBe(false);
    expect(resumed.spectrograms.cached).toBeGreaterThanOrEqual(k);
    expect(resumed.spectrograms.generated).toBeLessThanOrEqual(FILES - k);
  });

  it.each([1, 15, FILES - 1])('SIGKILL while generating after %i files', async (k) => {
    const root = freshCopy(templates.given);
    const killed = await run(root, { KILL_PHASE: 'generate', KILL_AFTER: String(k) });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.progress.filter((p) => p.startsWith('progress generate'))).toHaveLength(k);
    const resumed = await expectResumed(root, 'given');
    expect(resumed.indexReused).toBe(true);
    expect(resumed.spectrograms.cached).toBeGreaterThanOrEqual(k);
    expect(resumed.spectrograms.generated + resumed.spectrograms.cached).toBe(
      (await reference('given')).cache.size,
    );
  });

  it.each([1, 10])('SIGKILL while preloading the memory cache after %i entries', async (k) => {
    const env = { MAX_MEMORY_CACHE: '64' };
    const root = freshCopy(templates.given);
    const killed = await run(root, { ...env, KILL_PHASE: 'preload', KILL_AFTER: String(k) });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.progress.filter((p) => p.startsWith('progress preload'))).toHaveLength(k);
    const resumed = await expectResumed(root, 'given', env);
    // Everything was generated before preloading began: the restart generates nothing.
    expect(resumed.spectrograms.generated).toBe(0);
  });
});

describe('kill and resume (random kill times)', () => {
  it('resumes after SIGKILL at random times while indexing and generating', async () => {
    const full = await run(freshCopy(templates.measured));
    expect(full.code).toBe(0);
    const rounds: string[] = [];
    for (let round = 0; round < 6; round++) {
      const root = freshCopy(templates.measured);
      // Anywhere in the work of an uninterrupted run (from its first progress event to its exit).
      const delay = Math.random() * full.workMs;
      const killed = await run(root, {}, delay);
      await expectResumed(root, 'measured');
      rounds.push(
        `${delay.toFixed(0)} of ${full.workMs.toFixed(0)} ms: ${killed.signal ?? 'finished'} after ${killed.progress.length} progress events`,
      );
    }
    console.log(`random kills (delay: outcome):\n  ${rounds.join('\n  ')}`);
  });
});

describe('two processes opening the same dataset at once', () => {
  it.each(['measured', 'given'] as const)(
    'both succeed with the same dataset (%s lengths)',
    async (flavour) => {
      const root = freshCopy(templates[flavour]);
      const [a, b] = await Promise.all([run(root), run(root)]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      const ref = await reference(flavour);
      for (const s of [a.summary!, b.summary!]) {
        expect(s.modes).toEqual(ref.summary.modes);
        expect(s.items).toEqual(ref.summary.items);
      }
      expectSameCache(npyFiles(root), ref.cache);
      // A third open finds a valid index and every entry.
      const third = await expectResumed(root, flavour);
      expect(third.indexReused).toBe(true);
      expect(third.spectrograms.generated).toBe(0);
    },
  );
});

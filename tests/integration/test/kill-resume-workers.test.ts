// SIGKILL during generation WITH worker threads (numWorkers 2), then resume: the finished dataset and
// every .npy byte equal an uninterrupted in-thread run. The child imports the built `spgdataset`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSpectrogramDataset } from 'spgdataset';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pcm16Wav } from '../../../scripts/test-wav.mjs';

const FILES = 20;
const RATE = 16000;
const here = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'spg-kill-workers-'));
// Inside tests/integration so the child resolves `spgdataset` through this package's node_modules.
const childDir = mkdtempSync(join(here, 'node_modules', '.spg-kill-child-'));
const childScript = join(childDir, 'child.mjs');

const options = (root: string, numWorkers: number) => ({
  audioRoot: join(root, 'audio'),
  metadataJsonPath: join(root, 'audio', 'metadata.json'),
  spectrogramsRoot: join(root, 'spg'),
  indexRoot: join(root, 'index'),
  extractor: 'wasm' as const,
  numWorkers,
  logger: { info: () => {}, warn: () => {} },
});

function corpus(root: string) {
  mkdirSync(join(root, 'audio'), { recursive: true });
  const metadata: Record<string, { length: number }> = {};
  for (let f = 0; f < FILES; f++) {
    const length = RATE * (2 + (f % 4));
    const x = Float32Array.from(
      { length },
      (_, i) => 0.3 * Math.sin((2 * Math.PI * (200 + 37 * f) * i) / RATE),
    );
    writeFileSync(join(root, 'audio', `f${String(f).padStart(2, '0')}.wav`), pcm16Wav(x, RATE));
    metadata[`f${String(f).padStart(2, '0')}.wav`] = { length };
  }
  writeFileSync(join(root, 'audio', 'metadata.json'), JSON.stringify(metadata));
}

/** Audio path -> .npy bytes (the key variant in the file name differs: it hashes each copy's mtime). */
function npyFiles(root: string): Map<string, Buffer> {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.npy'));
  return new Map(
    files.sort().map((f) => [f.replace(/\.[0-9a-f]{16}\.npy$/, ''), readFileSync(join(root, f))]),
  );
}

/** Runs the child with numWorkers 2; it SIGKILLs itself after `killAfter` generated files (or at `killAtMs`). */
function runChild(root: string, env: Record<string, string>) {
  return new Promise<{ signal: NodeJS.Signals | null; progress: number }>((done) => {
    const child = spawn(process.execPath, [childScript, JSON.stringify(options(root, 2))], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let progress = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      progress += chunk
        .toString()
        .split('\n')
        .filter((l) => l.startsWith('generate')).length;
    });
    if (env.KILL_AT_MS) setTimeout(() => child.kill('SIGKILL'), Number(env.KILL_AT_MS));
    child.on('exit', (_code, signal) => done({ signal, progress }));
  });
}

let reference: { files: Map<string, Buffer>; length: number };
const template = join(scratch, 'template');

beforeAll(async () => {
  writeFileSync(
    childScript,
    [
      "import { openSpectrogramDataset } from 'spgdataset';",
      'const options = JSON.parse(process.argv[2]);',
      'const killAfter = Number(process.env.KILL_AFTER ?? 0);',
      'options.logger = { info() {}, warn() {} };',
      'options.onProgress = (e) => {',
      "  if (e.phase !== 'generate') return;",
      "  process.stdout.write('generate ' + e.done + '\\n');",
      "  if (killAfter > 0 && e.done >= killAfter) process.kill(process.pid, 'SIGKILL');",
      '};',
      'await openSpectrogramDataset(options);',
    ].join('\n'),
  );
  corpus(template);
  const root = join(scratch, 'reference');
  corpus(root);
  const ds = await openSpectrogramDataset(options(root, 0));
  reference = { files: npyFiles(join(root, 'spg')), length: ds.length };
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(childDir, { recursive: true, force: true });
});

async function expectResumed(root: string) {
  const ds = await openSpectrogramDataset(options(root, 2));
  expect(ds.length).toBe(reference.length);
  const files = npyFiles(join(root, 'spg'));
  expect([...files.keys()]).toEqual([...reference.files.keys()]);
  for (const [path, bytes] of reference.files) expect(files.get(path)?.equals(bytes), path).toBe(true);
}

it.each([1, 9, FILES - 1])('SIGKILL while generating on 2 workers after %i files, then resume', async (k) => {
  const root = join(scratch, `kill-${k}`);
  corpus(root);
  const killed = await runChild(root, { KILL_AFTER: String(k) });
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.progress).toBe(k);
  await expectResumed(root);
});

it('SIGKILL at random times while generating on 2 workers, then resume', async () => {
  for (const [i, ms] of [150, 300, 450].entries()) {
    const root = join(scratch, `random-${i}`);
    corpus(root);
    await runChild(root, { KILL_AT_MS: String(ms + Math.floor(Math.random() * 100)) });
    await expectResumed(root);
  }
});

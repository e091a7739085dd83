// The built executable (dist/cli.js) as a user runs it: `--version`, and Ctrl-C (SIGINT) during
// `build`, which must say how far it got, exit 130, and leave a state that a rerun resumes.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { interruptedMessage } from '../src/cli/build-command';
import { variedCorpus, writeCorpus } from './fixtures-reliability/corpus';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'spg-cli-interrupt-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('--version and -V print the version in package.json', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  for (const flag of ['--version', '-V']) {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, flag]);
    expect(stdout.trim()).toBe(version);
  }
});

it('Ctrl-C during build prints how many files are done, exits 130, and a rerun resumes', async () => {
  const audio = join(work, 'audio');
  const files = 40;
  const metadata = join(work, 'metadata.json');
  writeFileSync(metadata, JSON.stringify(writeCorpus(audio, variedCorpus(files))));
  const args = [
    cli,
    'build',
    audio,
    '--metadata',
    metadata,
    '--cache',
    join(work, 'c'),
    '--index',
    join(work, 'i'),
  ];

  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let interrupted = false;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    // Plain progress lines (stderr is no TTY): one Ctrl-C once generation has made a file.
    if (!interrupted && /^generate [1-9]\d*\/\d+ files/m.test(stderr)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  expect(code, stderr).toBe(130);
  const match = /interrupted: (\d+) of (\d+) files generated; rerun the same command to resume/.exec(stderr);
  expect(match, stderr).not.toBeNull();
  const [done, total] = [Number(match![1]), Number(match![2])];
  expect(total).toBe(files);
  expect(done).toBeGreaterThanOrEqual(1);
  expect(done).toBeLessThan(total);

  // The rerun makes only what is missing: at least the files reported done are reused.
  const rerun = await promisify(execFile)(process.execPath, args);
  const summary = /(\d+) generated, (\d+) already cached/.exec(rerun.stdout);
  expect(summary, rerun.stdout).not.toBeNull();
  expect(Number(summary![1]) + Number(summary![2])).toBe(files);
  expect(Number(summary![2])).toBeGreaterThanOrEqual(done);
});

it('the message names the phase it stopped in', () => {
  expect(interruptedMessage({})).toBe(
    'interrupted before any file was read; rerun the same command to resume',
  );
  expect(interruptedMessage({ index: { phase: 'index', done: 3, total: 9 } })).toBe(
    'interrupted while indexing: 3 of 9 files read, spectrograms made so far are kept; rerun the same command to resume',
  );
  expect(
    interruptedMessage({
      index: { phase: 'index', done: 9, total: 9 },
      generate: { phase: 'generate', done: 4, total: 9 },
    }),
  ).toBe('interrupted: 4 of 9 files generated; rerun the same command to resume');
});

// Helpers of the distributed-build tests: a generated corpus, file trees by hash, and `spgdataset`
// processes (workers and coordinators of the BUILT command) whose output lines can be awaited.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pcm16Wav } from '../../../scripts/test-wav.mjs';

export const cli = fileURLToPath(new URL('../../../packages/spgdataset/dist/cli.js', import.meta.url));
const RATE = 16000;

/** A WAV of `seconds` of tone at 44.1 kHz (resampled to 16 kHz: a job that takes a while). */
export function longWav(seconds: number): Buffer {
  const tone = Float64Array.from({ length: seconds * 44100 }, (_, i) =>
    Math.sin((2 * Math.PI * 330 * i) / 44100),
  );
  return pcm16Wav(tone, 44100, 9000);
}

/**
 * `count` short WAVs (0.3 to 1.4 s) in four folders plus metadata.json with lengths, a speech
 * interval and a kind; `poison` adds a text file named .wav (with a length, so only decoding finds it).
 */
export function writeCorpus(root: string, count: number, poison = false): void {
  const audio = join(root, 'audio');
  const metadata: Record<string, unknown> = {};
  for (let f = 0; f < count; f++) {
    const path = `spk${f % 4}/f${String(f).padStart(3, '0')}.wav`;
    const length = 4800 + ((f * 7919) % 17600);
    let state = f + 1;
    const x = Float32Array.from({ length }, (_, i) => {
      state = (state * 1103515245 + 12345) >>> 0;
      return 0.3 * Math.sin((2 * Math.PI * (180 + 23 * f) * i) / RATE) + 0.02 * (state / 2 ** 32 - 0.5);
    });
    mkdirSync(join(audio, `spk${f % 4}`), { recursive: true });
    writeFileSync(join(audio, path), pcm16Wav(x, RATE));
    metadata[path] = {
      length,
      intervals: { speech: [[Math.floor(length / 5), Math.floor((length * 4) / 5)]] },
      metadata: { kind: f % 3 ? 'speech' : 'noise' },
    };
  }
  if (poison) {
    writeFileSync(join(audio, 'spk0/poison.wav'), 'this is text, not audio');
    metadata['spk0/poison.wav'] = {
      length: 16000,
      intervals: { speech: [[0, 8000]] },
      metadata: { kind: 'noise' },
    };
  }
  writeFileSync(join(root, 'metadata.json'), JSON.stringify(metadata));
}

/** A copy of a corpus whose files have other mtimes (as audio copied to another machine has). */
export function copyCorpus(template: string, root: string): void {
  cpSync(template, root, { recursive: true });
  const when = new Date(2001, 1, 3);
  for (const f of readdirSync(join(root, 'audio'), { recursive: true, withFileTypes: true }))
    if (f.isFile()) utimesSync(join(f.parentPath, f.name), when, when);
}

/** Every file under `dir`: relative path -> sha256. */
export function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (f.isFile())
      out.set(
        relative(dir, join(f.parentPath, f.name)),
        createHash('sha256')
          .update(readFileSync(join(f.parentPath, f.name)))
          .digest('hex'),
      );
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export interface Proc {
  child: ChildProcess;
  lines: string[];
  output(): string;
  /** Lines of stdout starting with `prefix`. */
  count(prefix: string): number;
  /** Resolves when `count(prefix) >= n` (rejects if the process exits first). */
  until(prefix: string, n: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** Runs `node dist/cli.js ...args`, collecting stdout lines (and stderr as text). */
export function spgdataset(args: string[], cwd: string): Proc {
  const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let text = '';
  let rest = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    rest += chunk.toString();
    const parts = rest.split('\n');
    rest = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters) w();
  });
  const onText = (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of waiters) w();
  };
  child.stderr!.on('data', onText);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const count = (prefix: string) => lines.filter((l) => l.startsWith(prefix)).length;
  return {
    child,
    lines,
    output: () => `${lines.join('\n')}\n${text}`,
    count,
    until: (prefix, n) => {
      const reached = new Promise<void>((resolve, reject) => {
        const check = () => {
          if (count(prefix) >= n) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
        exited.then(() => {
          if (count(prefix) < n) reject(new Error(`exited before ${n} "${prefix}" lines:\n${text}`));
        });
      });
      // A wait nobody awaits any more (the loser of a race) must not become an unhandled rejection.
      reached.catch(() => {});
      return reached;
    },
    exited,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Starts a `spgdataset worker` and resolves once it listens (its banner on stderr). */
export async function startWorker(redisUrl: string, queue: string, cwd: string): Promise<Proc> {
  const worker = spgdataset(
    [
      'worker',
      '--redis',
      redisUrl,
      '--queue',
      queue,
      '--concurrency',
      '1',
      // Short, so a killed worker's job is taken over within seconds.
      '--lock-duration-ms',
      '1000',
      '--stalled-interval-ms',
      '500',
    ],
    cwd,
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/jobs? at once from queue/.test(worker.output())) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    worker.exited.then(() => {
      clearInterval(timer);
      reject(new Error(`worker exited:\n${worker.output()}`));
    });
  });
  return worker;
}

// Shared by the scheduler tests: a WAV writer, the fake plugin package installed where workers find
// it by name, a plan over real core plugins plus the fakes, and worker child processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  audioDecodeDecoder,
  type FeatureExtractor,
  featureFingerprintOf,
  type GenerationPlan,
  sincResampler,
} from '@spgdataset/core';
import { fsSource } from '@spgdataset/core/node';
import { pcm16Wav, xorshiftNoise } from '../../../scripts/test-wav.mjs';

/** 16-bit PCM mono WAV of a tone with a little deterministic noise. */
export function wav(seconds: number, rate: number, seed: number): Buffer {
  const noise = xorshiftNoise(seed);
  const tone = 200 + 17 * seed;
  const samples = Float64Array.from(
    { length: Math.round(seconds * rate) },
    (_, i) => 0.3 * Math.sin((2 * Math.PI * tone * i) / rate) + 0.05 * noise(),
  );
  return pcm16Wav(samples, rate);
}

/** Under this package's node_modules, so the fakes' own imports (@spgdataset/core) resolve. */
const base = fileURLToPath(new URL('../node_modules/.cache/spg-bullmq-test/', import.meta.url));
export const FAKES = 'spg-bullmq-fakes';
/** Where workers look up the plan's packages first. */
export const anchors = [pathToFileURL(base).href];

/** Installs the fake plugin package and returns its module (imported from the built core). */
export async function installFakes() {
  const dir = `${base}node_modules/${FAKES}/`;
  mkdirSync(dir, { recursive: true });
  copyFileSync(fileURLToPath(new URL('./fixtures/fake-plugins.mjs', import.meta.url)), `${dir}index.mjs`);
  writeFileSync(
    `${dir}package.json`,
    JSON.stringify({ name: FAKES, type: 'module', exports: './index.mjs' }),
  );
  return (await import(pathToFileURL(`${dir}index.mjs`).href)) as {
    energyExtractorDefinition: { create(o: object): FeatureExtractor };
    dirCache(root: string): import('@spgdataset/core').SpectrogramCache;
  };
}

export const grid = { sampleRate: 16000, windowSize: 5120, windowOffset: 1600, dtype: 'float32' as const };

/** A plan over core's fs source (size tokens), decoder and resampler, the fake extractor and cache. */
export function planOf(
  fakes: Awaited<ReturnType<typeof installFakes>>,
  audioRoot: string,
  cacheRoot: string,
  extractorOptions: object = {},
): GenerationPlan {
  const source = fsSource(audioRoot, { changeToken: 'size' });
  const extractor = fakes.energyExtractorDefinition.create(extractorOptions);
  const decoder = audioDecodeDecoder();
  const resampler = sincResampler();
  return {
    source: { use: source.id, options: source.options },
    decoder: { use: decoder.id, options: decoder.options },
    resampler: { use: resampler.id, options: resampler.options },
    extractor: { use: extractor.id, options: extractorOptions as never },
    cache: { use: 'test/dir', options: { root: cacheRoot } },
    modules: ['@spgdataset/core', '@spgdataset/core/node', FAKES],
    ...grid,
    featureFingerprint: featureFingerprintOf({ decoder, resampler, extractor }, grid),
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  /** Resolves with the first line matching `pattern` (rejects if the process exits first). */
  line(pattern: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const workerScript = fileURLToPath(new URL('./fixtures/worker-child.mjs', import.meta.url));

/** Starts `fixtures/worker-child.mjs` (runBullmqWorker from dist/) and waits until it listens. */
export async function startWorker(options: Record<string, unknown>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [workerScript, JSON.stringify({ anchors, ...options })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let err = '';
  let buffered = '';
  const waiters: { pattern: RegExp; resolve: (l: string) => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.pattern.test(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const line = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const found = lines.find((l) => pattern.test(l));
      if (found) return resolve(found);
      waiters.push({ pattern, resolve });
      exited.then(({ code, signal }) =>
        reject(new Error(`worker exited (${code ?? signal}) before printing ${pattern}:\n${err}`)),
      );
    });
  const worker = { child, lines, stderr: () => err, line, exited };
  await line(/^ready /);
  return worker;
}

/** SIGKILLs every worker still running (tests end here) and waits for them. */
export async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers)
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
}

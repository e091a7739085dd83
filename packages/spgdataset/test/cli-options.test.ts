import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpgConfigError } from '@spgdataset/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../src/cli/cli-context';
import { runCliWith } from '../src/cli/run-cli-with';

let root: string;
let audio: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'spg-cli-options-'));
  audio = join(root, 'audio');
  mkdirSync(audio);
  writeFileSync(join(root, 'metadata.json'), '{}');
});

/** Runs the CLI with an `open` that records its options and then throws `stop`. */
async function optionsOf(
  argv: string[],
  stop: unknown = new SpgConfigError([{ path: 'x', message: 'stop' }]),
) {
  let seen: Record<string, unknown> | undefined;
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd: root,
    now: () => 0,
    open: async (options) => {
      seen = options;
      throw stop;
    },
  };
  const code = await runCliWith(argv, ctx);
  return { code, seen, stdout, stderr };
}

const base = () => [audio, '--cache', 'c', '--index', 'i'];

describe('dataset flags', () => {
  it('map to openSpectrogramDataset options (docs/behaviour.md#options names), paths resolved against the cwd', async () => {
    const { seen } = await optionsOf([
      'build',
      ...base(),
      '--metadata',
      'metadata.json',
      '--masks',
      'speech,noise',
      '--meta',
      'gender, speaker',
      '--label',
      'kind',
      '--split',
      '0.8,0.1,0.1',
      '--n-mels',
      '64',
      '--window-size-sec',
      '0.96',
      '--window-offset-sec',
      '0.2',
      '--window-content-ratio',
      '0.25',
      '--sample-rate',
      '8000',
      '--hop-length',
      '80',
      '--n-fft',
      '256',
      '--no-normalize',
      '--dtype',
      'float16',
      '--max-memory-cache',
      '12.5',
      '--workers',
      '2',
      '--seed',
      '-7',
      '--split-by',
      'speaker',
      '--on-error',
      'skip',
      '--extractor',
      'js',
    ]);
    const { onProgress, logger, ...rest } = seen!;
    expect(typeof onProgress).toBe('function');
    expect(typeof (logger as { warn: unknown }).warn).toBe('function');
    expect(rest).toEqual({
      audioRoot: audio,
      spectrogramsRoot: join(root, 'c'),
      indexRoot: join(root, 'i'),
      metadataJsonPath: join(root, 'metadata.json'),
      outputConfiguration: { masks: ['speech', 'noise'], meta: ['gender', 'speaker'], label: 'kind' },
      split: [0.8, 0.1, 0.1],
      nMels: 64,
      windowSizeSec: 0.96,
      windowOffsetSec: 0.2,
      windowContentRatio: 0.25,
      sampleRate: 8000,
      hopLength: 80,
      nFft: 256,
      normalize: false,
      dtype: 'float16',
      maxMemoryCache: 12.5,
      numWorkers: 2,
      seed: -7,
      splitBy: 'speaker',
      onError: 'skip',
      extractor: 'js',
    });
  });

  it('leave unset options to the library defaults', async () => {
    const { seen } = await optionsOf(['build', ...base()]);
    expect(Object.keys(seen!).sort()).toEqual([
      'audioRoot',
      'indexRoot',
      'logger',
      'onProgress',
      'spectrogramsRoot',
    ]);
  });

  it('override a --config file, which resolves its paths against its own folder', async () => {
    const dir = join(root, 'conf');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'ds.json'),
      JSON.stringify({
        audioRoot: '../audio',
        spectrogramsRoot: 'cache',
        indexRoot: 'index',
        nMels: 64,
        nFft: 512,
        outputConfiguration: { masks: ['speech'], label: 'kind' },
      }),
    );
    const { seen } = await optionsOf([
      'inspect',
      '--config',
      'conf/ds.json',
      '--n-mels',
      '32',
      '--label',
      'gender',
    ]);
    expect(seen).toMatchObject({
      audioRoot: audio,
      spectrogramsRoot: join(dir, 'cache'),
      indexRoot: join(dir, 'index'),
      nMels: 32,
      nFft: 512,
      outputConfiguration: { masks: ['speech'], label: 'gender', spectrogram: false, audio: false },
    });
  });
});

describe('distributed builds', () => {
  it('--scheduler bullmq --redis --queue become a scheduler-bullmq reference; --change-token the fs change token', async () => {
    const { seen } = await optionsOf([
      'build',
      ...base(),
      '--scheduler',
      'bullmq',
      '--redis',
      'redis://10.0.0.5:6379',
      '--queue',
      'speech',
      '--change-token',
      'size',
    ]);
    expect(seen).toMatchObject({
      scheduler: {
        use: 'scheduler-bullmq/queue',
        options: { connection: 'redis://10.0.0.5:6379', queueName: 'speech' },
      },
      changeToken: 'size',
    });
  });

  it('--redis alone means --scheduler bullmq', async () => {
    const { seen } = await optionsOf(['build', ...base(), '--redis', 'redis://h:6379']);
    expect(seen!.scheduler).toEqual({
      use: 'scheduler-bullmq/queue',
      options: { connection: 'redis://h:6379' },
    });
  });

  it('a --config file may give the scheduler reference and changeToken', async () => {
    writeFileSync(
      join(root, 'distributed.json'),
      JSON.stringify({
        scheduler: { use: 'scheduler-bullmq/queue', options: { connection: 'redis://q:6379', attempts: 5 } },
        changeToken: 'content',
      }),
    );
    const { seen } = await optionsOf(['build', ...base(), '--config', 'distributed.json']);
    expect(seen).toMatchObject({
      scheduler: { use: 'scheduler-bullmq/queue', options: { connection: 'redis://q:6379', attempts: 5 } },
      changeToken: 'content',
    });
  });

  it('spgdataset worker names --redis when it is not a Redis URL', async () => {
    const { code, stderr } = await optionsOf(['worker', '--redis', 'localhost:6379']);
    expect(code).toBe(1);
    expect(stderr).toContain('--redis localhost:6379: not a Redis URL; use redis://host:6379');
  });

  it.each([
    [['--scheduler', 'bullmq'], '--scheduler bullmq needs --redis'],
    [
      ['--scheduler', 'threads', '--redis', 'redis://h:6379'],
      '--redis and --queue are for --scheduler bullmq',
    ],
    [['--queue', 'q'], '--redis and --queue are for --scheduler bullmq'],
    [['--change-token', 'inode'], '--change-token'],
  ])('%j is a usage error', async (flags, message) => {
    const { code, seen, stderr } = await optionsOf(['build', ...base(), ...flags]);
    expect(code).toBe(1);
    expect(seen).toBeUndefined();
    expect(stderr).toContain(message);
  });
});

describe('user errors exit 1 and name the problem', () => {
  it.each([
    [['--n-mels', 'abc'], '--n-mels'],
    [['--n-mels', '0'], '--n-mels'],
    [['--n-mels', '1.5'], '--n-mels'],
    [['--window-size-sec', '-1'], '--window-size-sec'],
    [['--window-content-ratio', '1.5'], '--window-content-ratio'],
    [['--workers', 'two'], '--workers'],
    [['--split', '0.8,x'], '--split'],
    [['--dtype', 'float64'], '--dtype'],
    [['--mode', 'dev'], '--mode'],
    [['--bogus'], '--bogus'],
  ])('%j', async (flags, name) => {
    const { code, seen, stderr } = await optionsOf(['build', ...base(), ...flags]);
    expect(code).toBe(1);
    expect(seen).toBeUndefined();
    expect(stderr).toContain(name);
  });

  it('a missing audioRoot folder', async () => {
    const { code, seen, stderr } = await optionsOf([
      'inspect',
      join(root, 'nope'),
      '--cache',
      'c',
      '--index',
      'i',
    ]);
    expect(code).toBe(1);
    expect(seen).toBeUndefined();
    expect(stderr).toContain(join(root, 'nope'));
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('no audioRoot and no --cache', async () => {
    const { code, stderr } = await optionsOf(['build', '--index', 'i']);
    expect(code).toBe(1);
    expect(stderr).toContain('<audioRoot>');
    expect(stderr).toContain('--cache');
  });

  it('a missing --metadata file, a bad --config', async () => {
    const missing = await optionsOf(['build', ...base(), '--metadata', 'none.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--metadata');
    writeFileSync(join(root, 'bad.json'), JSON.stringify({ nmels: 3 }));
    const bad = await optionsOf(['build', ...base(), '--config', 'bad.json']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"nmels"');
  });

  it('errors of the dataset (SpgError) without a stack trace', async () => {
    const { code, stderr } = await optionsOf(['build', ...base()]);
    expect(code).toBe(1);
    expect(stderr).toContain('x: stop');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a preview without --item', async () => {
    const { code, stderr } = await optionsOf(['preview', ...base(), '--out', 'x.png']);
    expect(code).toBe(1);
    expect(stderr).toContain('--item');
  });
});

it('internal errors exit 2 with a stack trace', async () => {
  const { code, stderr } = await optionsOf(['build', ...base()], new TypeError('boom'));
  expect(code).toBe(2);
  expect(stderr).toContain('TypeError: boom');
  expect(stderr).toMatch(/\n\s+at /);
});

it('--help exits 0 and lists the dataset flags', async () => {
  const { code, stdout } = await optionsOf(['build', '--help']);
  expect(code).toBe(0);
  for (const flag of ['--cache', '--index', '--n-mels', '--window-size-sec', '--config', '--no-normalize'])
    expect(stdout).toContain(flag);
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  type OpenSpectrogramDatasetOptions,
  openSpectrogramDataset,
  SpgCacheError,
  SpgConfigError,
  SpgDecodeError,
  SpgError,
  SpgMetadataError,
} from '../src/index';
import { type CorpusFile, toneSamples, wavBytes, writeCorpus } from './fixtures-reliability/corpus';

// Disk-full and read-only writes are simulated: fsCache is wrapped so that, while a test sets an errno,
// its put() fails the way fsCache fails on such an fs error (cache-fs's own cacheIoError mapping).
// cache-fs is loaded from its build, outside vitest's module graph, so fs inside it cannot be mocked.
const failWrites = vi.hoisted(() => ({ errno: undefined as string | undefined, calls: 0 }));
vi.mock('@spgdataset/cache-fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@spgdataset/cache-fs')>();
  const fsCache = (options: Parameters<typeof actual.fsCache>[0]) => {
    const cache = actual.fsCache(options);
    type Key = Parameters<typeof cache.put>[0];
    const fail = (key: Key) => {
      failWrites.calls++;
      const path = cache.pathOf(key);
      const cause = Object.assign(new Error(`${failWrites.errno}: simulated, open '${path}.1234'`), {
        code: failWrites.errno,
      });
      return actual.cacheIoError('put', path, cause, key.id);
    };
    return {
      ...cache,
      async put(key: Key, tensor: Parameters<typeof cache.put>[1]) {
        if (!failWrites.errno) return cache.put(key, tensor);
        throw fail(key);
      },
      // Generation streams entries through writers: their commit fails the same way.
      async writer(key: Key, rows: number) {
        const writer = await cache.writer(key, rows);
        if (!failWrites.errno) return writer;
        return {
          get frames() {
            return writer.frames;
          },
          append: (values: Float32Array) => writer.append(values),
          pass: writer.pass.bind(writer),
          abort: () => writer.abort(),
          async commit(): Promise<boolean> {
            await writer.abort();
            throw fail(key);
          },
        };
      },
    };
  };
  // The registry (nodeRegistry) makes caches through the definition.
  return { ...actual, fsCache, fsCacheDefinition: { ...actual.fsCacheDefinition, create: fsCache } };
});
afterEach(() => {
  failWrites.errno = undefined;
});

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const files: CorpusFile[] = [
  { path: 'a.wav', length: 8000, speech: [[1000, 5000]], gender: 'f', kind: 'speech' },
  { path: 'sub/b.wav', length: 12000, speech: [[0, 6000]], gender: 'm', kind: 'noise' },
];

/** What a row's setup may change: the temp folder, the metadata.json object or its raw text. */
interface Case {
  dir: string;
  audioRoot: string;
  metadata: Record<string, { length?: unknown; intervals?: unknown; metadata?: Record<string, unknown> }>;
  metadataText?: string;
  /** Options replacing the defaults of the table. */
  options: Partial<OpenSpectrogramDatasetOptions>;
}

type Setup = (c: Case) => void;

interface Collected {
  warnings: string[];
}

async function openCase(setup: Setup, extra: Partial<OpenSpectrogramDatasetOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'spg-bad-input-'));
  roots.push(dir);
  const audioRoot = join(dir, 'audio');
  mkdirSync(audioRoot);
  const c: Case = {
    dir,
    audioRoot,
    metadata: writeCorpus(audioRoot, files) as Case['metadata'],
    options: {},
  };
  setup(c);
  const metadataJsonPath = join(dir, 'metadata.json');
  writeFileSync(metadataJsonPath, c.metadataText ?? JSON.stringify(c.metadata));
  const log: Collected = { warnings: [] };
  const options: OpenSpectrogramDatasetOptions = {
    audioRoot,
    spectrogramsRoot: join(dir, 'spectrograms'),
    indexRoot: join(dir, 'index'),
    metadataJsonPath,
    windowSizeSec: 0.32,
    windowOffsetSec: 0.1,
    windowContentRatio: 0,
    extractor: 'js',
    outputConfiguration: { masks: ['speech'], meta: ['gender'], label: 'kind' },
    logger: { info: () => {}, warn: (m) => log.warnings.push(m) },
    ...c.options,
    ...extra,
  };
  return { open: () => openSpectrogramDataset(options), log, dir };
}

async function errorOf(open: () => Promise<unknown>): Promise<unknown> {
  try {
    await open();
  } catch (error) {
    return error;
  }
  throw new Error('expected openSpectrogramDataset to fail');
}

const rewrite = (c: Case, path: string, bytes: Uint8Array | string) =>
  writeFileSync(join(c.audioRoot, path), bytes);
const entry = (c: Case, path = 'a.wav') => c.metadata[path]!;
/** A valid WAV whose format tag says something the decoder has no codec for. */
function oddCodecWav(): Uint8Array {
  const bytes = wavBytes(toneSamples(8000, 440, 1));
  new DataView(bytes.buffer).setUint16(20, 0x0099, true);
  return bytes;
}

type ErrorClass = { name: string; isInstance(value: unknown): boolean };
interface Row {
  name: string;
  setup: Setup;
  errorClass: ErrorClass;
  code: string;
  /** Words the message must contain (the file, the field, what would work). */
  words: string[];
}

const rows: Row[] = [
  {
    name: 'missing audioRoot',
    setup: (c) => {
      Object.assign(c.options, { audioRoot: join(c.dir, 'no-such-folder') });
    },
    errorClass: SpgConfigError,
    code: 'SPG_CONFIG_INVALID',
    words: ['audioRoot', 'no-such-folder', 'does not exist'],
  },
  {
    name: 'empty folder',
    setup: (c) => {
      const empty = join(c.dir, 'empty');
      mkdirSync(empty);
      writeFileSync(join(empty, 'notes.txt'), 'not audio');
      Object.assign(c.options, { audioRoot: empty, metadataJsonPath: null, outputConfiguration: {} });
    },
    errorClass: SpgConfigError,
    code: 'SPG_CONFIG_NO_AUDIO',
    words: ['no audio file', 'notes.txt', 'wav'],
  },
  {
    name: 'zero-byte audio',
    setup: (c) => {
      rewrite(c, 'a.wav', new Uint8Array(0));
    },
    errorClass: SpgDecodeError,
    code: 'SPG_DECODE_EMPTY',
    words: ['"a.wav"', 'empty', '0 bytes'],
  },
  {
    name: 'truncated audio',
    setup: (c) => {
      rewrite(c, 'a.wav', wavBytes(toneSamples(8000, 440, 1)).subarray(0, 5000));
    },
    errorClass: SpgDecodeError,
    code: 'SPG_DECODE_TRUNCATED',
    words: ['"a.wav"', 'declares 16000 bytes', 'only 4956', 'truncated'],
  },
  {
    name: 'a text file named .wav',
    setup: (c) => {
      rewrite(c, 'a.wav', 'hello, this is not audio\n');
    },
    errorClass: SpgDecodeError,
    code: 'SPG_DECODE_UNKNOWN_FORMAT',
    words: ['"a.wav"', 'not a known audio format', 'hello, this is'],
  },
  {
    name: 'unsupported codec',
    setup: (c) => {
      rewrite(c, 'a.wav', oddCodecWav());
    },
    errorClass: SpgDecodeError,
    code: 'SPG_DECODE_UNSUPPORTED',
    words: ['"a.wav"', 'wav'],
  },
  {
    name: 'metadata.json that is not JSON',
    setup: (c) => {
      c.metadataText = '{ "a.wav": { "length": 8000, }';
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_INVALID_JSON',
    words: ['metadata.json', 'not valid JSON', 'object keyed by relative audio path'],
  },
  {
    name: 'metadata.json that is not an object',
    setup: (c) => {
      c.metadataText = '[["a.wav", 8000]]';
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_INVALID',
    words: ['metadata.json', 'must be a JSON object', 'an array'],
  },
  {
    name: 'an entry missing for an audio file',
    setup: (c) => {
      delete c.metadata['sub/b.wav'];
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_MISSING_ENTRY',
    words: ['no entry for the audio file "sub/b.wav"', 'add "sub/b.wav"', 'or remove the file'],
  },
  {
    name: 'length negative',
    setup: (c) => {
      entry(c).length = -8000;
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_INVALID',
    words: ['"a.wav"', '"length"', '>= 1', '-8000'],
  },
  {
    name: 'length not a whole number',
    setup: (c) => {
      entry(c).length = 8000.5;
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_INVALID',
    words: ['"a.wav"', '"length"', 'whole number', '8000.5'],
  },
  {
    name: 'an interval with start > stop',
    setup: (c) => {
      entry(c).intervals = { speech: [[5000, 1000]] };
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_BAD_INTERVAL',
    words: ['"a.wav"', 'intervals.speech[0]', 'start must be <= stop', '[5000,1000]'],
  },
  {
    name: 'an interval with a negative bound',
    setup: (c) => {
      entry(c).intervals = { speech: [[-160, 1000]] };
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_BAD_INTERVAL',
    words: ['"a.wav"', 'intervals.speech[0][0]', '>= 0', '-160'],
  },
  {
    name: 'intervals nested one level too shallow',
    setup: (c) => {
      entry(c).intervals = { speech: [1000, 5000] };
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_BAD_INTERVAL',
    words: ['"a.wav"', 'intervals.speech[0]', '[start, stop] pair', '1000'],
  },
  {
    name: 'intervals as a list instead of an object keyed by mask',
    setup: (c) => {
      entry(c).intervals = [[1000, 5000]];
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_BAD_INTERVAL',
    words: ['"a.wav"', '"intervals"', 'must be an object'],
  },
  {
    name: 'a requested mask missing',
    setup: (c) => {
      entry(c, 'sub/b.wav').intervals = { music: [[0, 10]] };
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_MISSING_FIELD',
    words: ['"sub/b.wav"', 'intervals.speech', 'outputConfiguration.masks', 'stop requesting it'],
  },
  {
    name: 'a requested meta field missing',
    setup: (c) => {
      delete entry(c).metadata!.gender;
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_MISSING_FIELD',
    words: ['"a.wav"', 'metadata.gender', 'outputConfiguration.meta'],
  },
  {
    name: 'the requested label missing',
    setup: (c) => {
      delete entry(c, 'sub/b.wav').metadata!.kind;
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_MISSING_FIELD',
    words: ['"sub/b.wav"', 'metadata.kind', 'outputConfiguration.label'],
  },
  {
    name: 'label values of mixed types',
    setup: (c) => {
      entry(c).metadata!.kind = 1;
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_MIXED_LABEL',
    words: ['"kind"', '"a.wav"', 'number', '"sub/b.wav"', 'string', 'all strings or all numbers'],
  },
  {
    name: 'a label that is an object',
    setup: (c) => {
      entry(c).metadata!.kind = { name: 'speech' };
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_BAD_LABEL',
    words: ['"a.wav"', '"kind"', 'string, number or boolean'],
  },
  {
    name: 'a key with ..',
    setup: (c) => {
      c.metadata['../outside.wav'] = { length: 100 };
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_BAD_KEY',
    words: ['"../outside.wav"', 'escapes the audio root', 'no ".."'],
  },
  {
    name: 'an absolute key',
    setup: (c) => {
      c.metadata['/etc/passwd.wav'] = { length: 100 };
    },
    errorClass: SpgMetadataError,
    code: 'SPG_METADATA_BAD_KEY',
    words: ['"/etc/passwd.wav"', 'relative POSIX path', 'no leading "/"'],
  },
  {
    name: 'a negative window size',
    setup: (c) => {
      Object.assign(c.options, { windowSizeSec: -0.32 });
    },
    errorClass: SpgConfigError,
    code: 'SPG_CONFIG_INVALID',
    words: ['windowSizeSec', '> 0', '-0.32'],
  },
  {
    name: 'a negative hop length',
    setup: (c) => {
      Object.assign(c.options, { hopLength: -160 });
    },
    errorClass: SpgConfigError,
    code: 'SPG_CONFIG_INVALID',
    words: ['hopLength', '-160'],
  },
  {
    name: 'a negative maxMemoryCache',
    setup: (c) => {
      Object.assign(c.options, { maxMemoryCache: -1 });
    },
    errorClass: SpgConfigError,
    code: 'SPG_CONFIG_INVALID',
    words: ['maxMemoryCache', '>= 0', '-1'],
  },
  {
    name: 'windowContentRatio > 1',
    setup: (c) => {
      Object.assign(c.options, { windowContentRatio: 1.5 });
    },
    errorClass: SpgConfigError,
    code: 'SPG_CONFIG_INVALID',
    words: ['windowContentRatio', '[0, 1]', '1.5'],
  },
  {
    name: 'split not summing to 1',
    setup: (c) => {
      Object.assign(c.options, { split: [0.8, 0.1] });
    },
    errorClass: SpgConfigError,
    code: 'SPG_CONFIG_INVALID',
    words: ['split', 'sum to 1', '0.9'],
  },
  {
    name: 'nFft < hopLength',
    setup: (c) => {
      Object.assign(c.options, { nFft: 128, nMels: 40 });
    },
    errorClass: SpgConfigError,
    code: 'SPG_CONFIG_INVALID',
    words: ['hopLength', '<= nFft = 128', '160'],
  },
  {
    name: 'nMels > nFft / 2 + 1',
    setup: (c) => {
      Object.assign(c.options, { nMels: 250 });
    },
    errorClass: SpgConfigError,
    code: 'SPG_CONFIG_INVALID',
    words: ['nMels', 'nFft / 2 + 1 = 201', '250'],
  },
  {
    name: 'a read-only cache folder (under /sys, which the kernel refuses even to root)',
    setup: (c) => {
      Object.assign(c.options, { spectrogramsRoot: '/sys/spgdataset-cache' });
    },
    errorClass: SpgCacheError,
    code: 'SPG_CACHE_NOT_WRITABLE',
    words: ['/sys/spgdataset-cache/a.wav.', 'read-only or not writable', 'choose another spectrogramsRoot'],
  },
  {
    name: 'a cache folder that is a file',
    setup: (c) => {
      writeFileSync(join(c.dir, 'spectrograms'), 'a file, not a folder');
    },
    errorClass: SpgCacheError,
    code: 'SPG_CACHE_IO',
    words: ['spectrograms/a.wav.', 'A file stands where the cache expects a directory'],
  },
];

describe('bad input through openSpectrogramDataset (one row per case)', () => {
  it.each(rows)('$name', async ({ setup, errorClass, code, words }) => {
    const { open } = await openCase(setup);
    const error = await errorOf(open);
    expect(SpgError.isInstance(error), String(error)).toBe(true);
    expect(errorClass.isInstance(error), `${(error as Error).name}: ${(error as Error).message}`).toBe(true);
    expect((error as SpgError).code).toBe(code);
    for (const word of words) expect((error as Error).message).toContain(word);
  });
});

describe('simulated storage failures (fsCache put and writer commit fail with the errno)', () => {
  it.each([
    ['ENOSPC', 'SPG_CACHE_DISK_FULL', 'disk (or quota) is full'],
    ['EROFS', 'SPG_CACHE_NOT_WRITABLE', 'read-only or not writable'],
  ])('%s while writing a cache entry -> %s naming the path', async (errno, code, advice) => {
    const { open, dir } = await openCase(() => {});
    failWrites.errno = errno;
    const calls = failWrites.calls;
    const error = await errorOf(open);
    expect(failWrites.calls).toBeGreaterThan(calls);
    expect(SpgCacheError.isInstance(error), String(error)).toBe(true);
    const e = error as SpgCacheError;
    expect(e.code).toBe(code);
    expect(e.operation).toBe('put');
    expect(e.path!.startsWith(join(dir, 'spectrograms', 'a.wav.'))).toBe(true);
    expect(e.path).toMatch(/\.[0-9a-f]{16}\.npy$/);
    expect(e.message).toContain(e.path!);
    expect(e.message).toContain(advice);
  });

  it("ENOSPC is not a bad file: onError 'skip' still throws it", async () => {
    const { open } = await openCase(() => {}, { onError: 'skip', outputConfiguration: {} });
    failWrites.errno = 'ENOSPC';
    const error = await errorOf(open);
    expect(SpgCacheError.isInstance(error) && error.code).toBe('SPG_CACHE_DISK_FULL');
  });
});

describe('accepted with a warning naming the file', () => {
  it.each([
    {
      name: 'an entry for a missing file',
      setup: (c: Case) => {
        c.metadata['gone/c.wav'] = { length: 100 };
      },
      words: ['1 entry has no audio file', 'gone/c.wav'],
    },
    {
      name: 'a length longer than the decoded audio by more than one window offset',
      setup: (c: Case) => {
        entry(c).length = 8000 + 1601;
      },
      words: ['"a.wav"', 'decodes to less audio', '9601', '8000 samples', 'fix or remove "length"'],
    },
    {
      name: 'a length shorter than the decoded audio by more than one window offset',
      setup: (c: Case) => {
        entry(c, 'sub/b.wav').length = 12000 - 3200;
      },
      words: ['"sub/b.wav"', 'decodes to more audio', '8800', 'fix or remove "length"'],
    },
    {
      name: 'an interval beyond the end of the file',
      setup: (c: Case) => {
        entry(c).intervals = { speech: [[6000, 44100]] };
      },
      words: ['"a.wav"', '1 interval ends after', 'length 8000', 'cut to it', 'samples at 16000 Hz'],
    },
  ])('$name', async ({ setup, words }) => {
    const { open, log } = await openCase(setup);
    const ds = await open();
    expect(ds.report().files).toBe(2);
    const matching = log.warnings.filter((w) => words.every((word) => w.includes(word)));
    expect(matching, log.warnings.join('\n')).toHaveLength(1);
  });

  it('a length within one window offset of the decoded audio is not warned about', async () => {
    const { open, log } = await openCase((c) => {
      entry(c).length = 8000 + 1600;
    });
    await open();
    expect(log.warnings.filter((w) => w.includes('decodes to'))).toEqual([]);
  });
});

describe('unsorted and overlapping intervals are accepted and merged', () => {
  it('gives the masks and content ratio of the merged intervals', async () => {
    const { open } = await openCase((c) => {
      entry(c).intervals = {
        speech: [
          [3200, 4000],
          [480, 1600],
          [1120, 2400],
          [3520, 3840],
        ],
      };
    });
    const ds = await open();
    expect(ds.locate(0).path).toBe('a.wav');
    // Merged: [480, 2400) and [3200, 4000): 1920 + 800 samples of the 5120-sample first window.
    expect(ds.locate(0).contentRatio).toBeCloseTo(2720 / 5120, 12);
    const mask = Array.from((await ds.get(0)).masks!.speech!.data);
    // Frames (hop 160): [480/160, 2400/160) = [3, 15) and [3200/160, 4000/160) = [20, 25).
    const expected = Array.from({ length: 32 }, (_, t) =>
      (t >= 3 && t < 15) || (t >= 20 && t < 25) ? 1 : 0,
    );
    expect(mask).toEqual(expected);
  });
});

describe("onError 'skip': bad files are left out and listed in report(), never silently dropped", () => {
  const bad: [string, Setup, string][] = [
    ['zero-byte audio', (c) => rewrite(c, 'a.wav', new Uint8Array(0)), 'the file is empty'],
    [
      'truncated audio',
      (c) => rewrite(c, 'a.wav', wavBytes(toneSamples(8000, 440, 1)).subarray(0, 5000)),
      'truncated',
    ],
    ['a text file named .wav', (c) => rewrite(c, 'a.wav', 'not audio at all'), 'not a known audio format'],
    ['unsupported codec', (c) => rewrite(c, 'a.wav', oddCodecWav()), 'Could not decode "a.wav"'],
    [
      'a requested mask missing',
      (c) => {
        entry(c).intervals = {};
      },
      'intervals.speech',
    ],
    [
      'a label that is an object',
      (c) => {
        entry(c).metadata!.kind = { name: 'x' };
      },
      'label field "kind"',
    ],
  ];
  it.each(bad)('%s', async (_name, setup, reason) => {
    const { open, log } = await openCase(setup, { onError: 'skip' });
    const ds = await open();
    const report = ds.report();
    expect(report.files).toBe(1);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]!.path).toBe('a.wav');
    expect(report.skipped[0]!.reason).toContain(reason);
    expect(report.warnings.some((w) => w.includes('skipped') && w.includes('a.wav'))).toBe(true);
    expect(log.warnings.some((w) => w.includes('skipped') && w.includes('a.wav'))).toBe(true);
    // Every item comes from the good file, and each can be read.
    for (let i = 0; i < ds.length; i++) expect(ds.locate(i).path).toBe('sub/b.wav');
    expect((await ds.get(ds.length - 1)).spectrogram!.shape).toEqual([80, 32]);
    // Reopening reuses the index and reports the same skipped file.
    const again = (await open()).report();
    expect(again.indexReused).toBe(true);
    expect(again.skipped).toEqual(report.skipped);
  });
});

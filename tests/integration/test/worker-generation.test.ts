import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerThreadsScheduler } from '@spgdataset/core/node';
import { jsMelExtractor } from '@spgdataset/dsp-js';
import { type GenerationTask, openSpectrogramDataset } from 'spgdataset';
import { afterAll, describe, expect, it } from 'vitest';

const samples = fileURLToPath(new URL('../../../samples/basic', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'spg-workers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every .npy under `root`, relative path -> bytes. */
function npyFiles(root: string): Map<string, Buffer> {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.npy'));
  return new Map(files.sort().map((f) => [f, readFileSync(join(root, f))]));
}

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { info: () => {}, warn: (m: string) => void warnings.push(m) } };
}

async function build(extractor: 'wasm' | 'js', numWorkers: number) {
  const root = join(scratch, `${extractor}-${numWorkers}`);
  const { warnings, logger } = recordingLogger();
  const ds = await openSpectrogramDataset({
    audioRoot: samples,
    metadataJsonPath: join(samples, 'metadata.json'),
    spectrogramsRoot: join(root, 'spg'),
    indexRoot: join(root, 'index'),
    extractor,
    numWorkers,
    logger,
  });
  return { ds, files: npyFiles(join(root, 'spg')), warnings };
}

describe.each(['wasm', 'js'] as const)('generation with numWorkers 2 (%s extractor)', (extractor) => {
  it('writes byte-identical cache entries to numWorkers 0', async () => {
    const inThread = await build(extractor, 0);
    const pooled = await build(extractor, 2);
    expect(inThread.files.size).toBe(8); // every file of samples/basic
    expect([...pooled.files.keys()]).toEqual([...inThread.files.keys()]);
    for (const [path, bytes] of inThread.files)
      expect(pooled.files.get(path)?.equals(bytes), path).toBe(true);
    expect(pooled.ds.length).toBe(inThread.ds.length);
    // The pool was used: no fallback to this thread was reported.
    expect(pooled.warnings.filter((w) => /numWorkers/.test(w))).toEqual([]);
  });
});

it('without lengths (no metadata.json) the workers measure and generate every file: entries and items identical to numWorkers 0', async () => {
  const open = async (name: string, numWorkers: number) => {
    const root = join(scratch, name);
    const tasks: GenerationTask[] = [];
    const threads = workerThreadsScheduler({ numWorkers: 2 });
    const counting = {
      ...threads,
      run: (run: Parameters<typeof threads.run>[0]) => {
        tasks.push(...run.tasks);
        return threads.run(run);
      },
    };
    const ds = await openSpectrogramDataset({
      audioRoot: samples,
      spectrogramsRoot: join(root, 'spg'),
      indexRoot: join(root, 'index'),
      numWorkers,
      ...(numWorkers ? { scheduler: counting } : {}),
      logger: { info: () => {}, warn: () => {} },
    });
    return { ds, tasks, files: npyFiles(join(root, 'spg')) };
  };
  const inThread = await open('measure-0', 0);
  const pooled = await open('measure-2', 2);
  expect(inThread.files.size).toBe(8);
  expect([...pooled.files.keys()]).toEqual([...inThread.files.keys()]);
  for (const [path, bytes] of inThread.files) expect(pooled.files.get(path)?.equals(bytes), path).toBe(true);
  // One measuring task (length 0) per file, nothing decoded twice, the same index.
  expect(pooled.tasks.map((t) => t.length)).toEqual(new Array(8).fill(0));
  const report = pooled.ds.report();
  expect(report.spectrograms).toMatchObject({ generated: 8, cached: 0, lengthsMeasured: 8 });
  expect(report.indexFingerprint).toBe(inThread.ds.report().indexFingerprint);
  for (let i = 0; i < inThread.ds.length; i++) expect(pooled.ds.locate(i)).toEqual(inThread.ds.locate(i));
});

it('a custom extractor instance cannot cross threads: one warning, generation in this thread', async () => {
  const root = join(scratch, 'custom');
  const { warnings, logger } = recordingLogger();
  const ds = await openSpectrogramDataset({
    audioRoot: samples,
    metadataJsonPath: join(samples, 'metadata.json'),
    spectrogramsRoot: join(root, 'spg'),
    indexRoot: join(root, 'index'),
    extractor: {
      ...jsMelExtractor({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80, normalize: true }),
      id: 'my/extractor',
    },
    numWorkers: 2,
    logger,
  });
  expect(ds.length).toBeGreaterThan(0);
  expect(
    warnings.filter((w) => /numWorkers 2: extractor my\/extractor cannot be recreated/.test(w)),
  ).toHaveLength(1);
  expect(npyFiles(join(root, 'spg')).size).toBe(8);
});

it('works from the CommonJS build too (require("spgdataset") with numWorkers 2)', () => {
  const root = join(scratch, 'cjs');
  const script = [
    "const { openSpectrogramDataset } = require('spgdataset');",
    `openSpectrogramDataset(${JSON.stringify({
      audioRoot: samples,
      metadataJsonPath: join(samples, 'metadata.json'),
      spectrogramsRoot: join(root, 'spg'),
      indexRoot: join(root, 'index'),
      numWorkers: 2,
    })})`,
    '  .then((ds) => console.log(JSON.stringify(ds.report().spectrograms)))',
    '  .catch((e) => { console.error(e.message); process.exit(1); });',
  ].join('\n');
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
  });
  expect(JSON.parse(out)).toMatchObject({ generated: 8, cached: 0 });
  expect(npyFiles(join(root, 'spg')).size).toBe(8);
});

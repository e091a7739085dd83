// Plugins from another package (tests/fake-plugins: a cache that logs every call and an async
// extractor that declares only its features) used through every way in: the flat options, a JSON
// config, the CLI's --config file, and inside worker threads that import the package by name.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsMelExtractor } from '@spgdataset/dsp-js';
import {
  asyncMelExtractor,
  asyncMelExtractorDefinition,
  type CacheCall,
  cacheCalls,
  countingCache,
  countingCacheDefinition,
} from '@spgdataset-test/fake-plugins';
import { createDataset, nodeRegistry, openSpectrogramDataset, type SpectrogramDataset } from 'spgdataset';
import { afterAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
const samples = fileURLToPath(new URL('../../../samples/basic', import.meta.url));
const cli = fileURLToPath(new URL('../../../packages/spgdataset/dist/cli.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'spg-third-party-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const quiet = { info: () => {}, warn: () => {} };
const mel = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80, normalize: true };
const FAKES = '@spgdataset-test/fake-plugins';
// With lengths from metadata.json, nothing is decoded while indexing: generation is the workers'.
const metadata = join(samples, 'metadata.json');

/** One SHA-256 per item's spectrogram bytes (comparing hashes: deep-equal of large buffers is slow). */
async function spectrograms(ds: SpectrogramDataset): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < ds.length; i++) {
    const { data } = (await ds.get(i)).spectrogram!;
    out.push(
      createHash('sha256')
        .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
        .digest('hex'),
    );
  }
  return out;
}

/**
 * Files without a length in metadata.json are measured by the workers too (a worker decodes the
 * file, writes its entry and reports the length), so every entry is the workers'.
 */
const measured = Object.values(
  JSON.parse(readFileSync(metadata, 'utf8')) as Record<string, { length?: number }>,
).filter((entry) => entry.length === undefined).length;

/**
 * 8 entries written by process `pid`, the measured ones included, through the plugins re-created from
 * the plan: by its worker threads, which take their first files at once, and its main thread, which
 * generates files too while they start.
 */
function expectWorkersWrote(calls: CacheCall[], pid: number): void {
  const puts = calls.filter((c) => c.op === 'put');
  expect(puts).toHaveLength(8);
  expect(puts.filter((c) => c.pid === pid)).toHaveLength(8);
  expect(puts.filter((c) => c.threadId > 0).length).toBeGreaterThan(0);
  // Both paths are covered: files with a length, and files the workers measured.
  expect(measured).toBeGreaterThan(0);
  expect(8 - measured).toBeGreaterThan(0);
}

/** The reference: the same log-mel, synchronous, from dsp-js, on the default cache. */
let reference: string[];
async function referenceItems(): Promise<string[]> {
  reference ??= await spectrograms(
    await openSpectrogramDataset({
      audioRoot: samples,
      metadataJsonPath: metadata,
      spectrogramsRoot: join(scratch, 'reference', 'spg'),
      indexRoot: join(scratch, 'reference', 'index'),
      extractor: jsMelExtractor(mel),
      logger: quiet,
    }),
  );
  return reference;
}

describe('third-party plugins', () => {
  it('from openSpectrogramDataset, as instances, in this thread', async () => {
    const root = join(scratch, 'instances');
    const ds = await openSpectrogramDataset({
      audioRoot: samples,
      metadataJsonPath: metadata,
      indexRoot: join(root, 'index'),
      cache: countingCache({ root: join(root, 'cache') }),
      extractor: asyncMelExtractor(mel),
      logger: quiet,
    });
    expect(await spectrograms(ds)).toEqual(await referenceItems());
    const puts = (await cacheCalls(join(root, 'cache'))).filter((c) => c.op === 'put');
    expect(puts).toHaveLength(8);
    expect(new Set(puts.map((c) => c.threadId))).toEqual(new Set([0]));
  });

  it('from openSpectrogramDataset by reference with numWorkers 2: the workers import the package and write', async () => {
    const root = join(scratch, 'workers');
    const warnings: string[] = [];
    const ds = await openSpectrogramDataset({
      audioRoot: samples,
      metadataJsonPath: metadata,
      indexRoot: join(root, 'index'),
      plugins: [FAKES],
      cache: { use: 'fake/counting-cache', options: { root: join(root, 'cache') } },
      extractor: { use: 'fake/async-mel', options: mel },
      numWorkers: 2,
      logger: { info: () => {}, warn: (m) => void warnings.push(m) },
    });
    expect(warnings).toEqual([]);
    expect(ds.report().extractor).toBe('fake/async-mel');
    expect(await spectrograms(ds)).toEqual(await referenceItems());
    expect(ds.report().spectrograms.lengthsMeasured).toBe(measured);
    expectWorkersWrote(await cacheCalls(join(root, 'cache')), process.pid);
  });

  it('from a JSON config (createDataset.fromConfig) with numWorkers 2', async () => {
    const root = join(scratch, 'json');
    const registry = nodeRegistry.with([countingCacheDefinition, asyncMelExtractorDefinition]);
    const ds = await createDataset
      .fromConfig(
        JSON.stringify({
          source: { use: 'core/fs', options: { root: samples } },
          metadata,
          decoder: { use: 'core/audio-decode' },
          resampler: { use: 'dsp-wasm/resampler' },
          extractor: { use: 'fake/async-mel', options: mel },
          cache: { use: 'fake/counting-cache', options: { root: join(root, 'cache') } },
          numWorkers: 2,
        }),
        registry,
      )
      .logger(quiet)
      .build();
    expect(await spectrograms(ds)).toEqual(await referenceItems());
    expectWorkersWrote(await cacheCalls(join(root, 'cache')), process.pid);
  });

  it('from the CLI --config file, with --workers 2', () => {
    const root = join(scratch, 'cli');
    const config = join(scratch, 'cli-config.json');
    writeFileSync(
      config,
      JSON.stringify({
        plugins: [FAKES],
        cache: { use: 'fake/counting-cache', options: { root: join(root, 'cache') } },
        extractor: { use: 'fake/async-mel', options: mel },
      }),
    );
    const out = execFileSync(
      process.execPath,
      [
        cli,
        'build',
        samples,
        '--metadata',
        metadata,
        '--index',
        join(root, 'index'),
        '--config',
        config,
        '--workers',
        '2',
      ],
      { cwd: here, encoding: 'utf8' },
    );
    expect(out).toMatch(/fake\/async-mel/);
    return cacheCalls(join(root, 'cache')).then((calls) => {
      // Written by worker threads of the CLI process, not by this test process.
      const pid = calls.find((c) => c.op === 'put')!.pid;
      expect(pid).not.toBe(process.pid);
      expectWorkersWrote(calls, pid);
    });
  });
});

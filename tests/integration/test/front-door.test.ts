// One front door: openSpectrogramDataset is an adapter over createDataset(nodeRegistry), so both
// give the same dataset for the same configuration, with and without worker threads.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDataset, nodeRegistry, openSpectrogramDataset, type SpectrogramDataset } from 'spgdataset';
import { afterAll, describe, expect, it } from 'vitest';

const samples = fileURLToPath(new URL('../../../samples/basic', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'spg-front-door-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const quiet = { info: () => {}, warn: () => {} };
const output = { masks: ['speech'], meta: ['gender'], label: 'kind' };

/** Every item's bytes and labels, in order, plus the classes and the report without timings. */
async function fingerprintOf(ds: SpectrogramDataset) {
  const hash = createHash('sha256');
  for (let i = 0; i < ds.length; i++) {
    const item = await ds.get(i);
    hash.update(Buffer.from(item.spectrogram!.data.buffer));
    hash.update(Buffer.from(item.masks!.speech!.data.buffer));
    hash.update(JSON.stringify([item.label, item.meta, ds.locate(i)]));
  }
  const { indexReused: _reused, spectrograms: _work, ...report } = ds.report();
  return { items: hash.digest('hex'), length: ds.length, classes: ds.classes, report };
}

function npyHashes(root: string): Record<string, string> {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.npy'));
  return Object.fromEntries(
    files.sort().map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(root, f)))
        .digest('hex'),
    ]),
  );
}

describe.each([0, 2])(
  'openSpectrogramDataset and createDataset(nodeRegistry), numWorkers %i',
  (numWorkers) => {
    it('give identical datasets: item bytes, order, classes, report, cache entries', async () => {
      const flat = join(scratch, `flat-${numWorkers}`);
      const built = join(scratch, `built-${numWorkers}`);
      const a = await openSpectrogramDataset({
        audioRoot: samples,
        metadataJsonPath: join(samples, 'metadata.json'),
        spectrogramsRoot: join(flat, 'spg'),
        indexRoot: join(flat, 'index'),
        split: [0.8, 0.1, 0.1],
        outputConfiguration: output,
        numWorkers,
        logger: quiet,
      });
      const b = await createDataset(nodeRegistry)
        .source({ use: 'core/fs', options: { root: samples } })
        .decoder({ use: 'core/audio-decode' })
        .resampler({ use: 'dsp-wasm/resampler' })
        .extractor({
          use: 'dsp-wasm/log-mel',
          options: { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80, normalize: true },
        })
        .cache({ use: 'cache-fs/npy', options: { root: join(built, 'spg') } })
        .indexStore({ use: 'core/file-index', options: { root: join(built, 'index') } })
        .metadata(join(samples, 'metadata.json'))
        .split([0.8, 0.1, 0.1])
        .output(output)
        .numWorkers(numWorkers)
        .logger(quiet)
        .build();
      // Every file with a kept window is generated once by each (none was cached before).
      expect(a.report().spectrograms.generated).toBeGreaterThan(0);
      expect(b.report().spectrograms).toEqual(a.report().spectrograms);
      for (const mode of [0, 1, 2]) {
        a.setMode(mode);
        b.setMode(mode);
        expect(await fingerprintOf(a)).toEqual(await fingerprintOf(b));
      }
      expect(npyHashes(join(flat, 'spg'))).toEqual(npyHashes(join(built, 'spg')));
    });
  },
);

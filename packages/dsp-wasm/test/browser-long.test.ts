// A multi-minute recording built in a page: core's per-file pipeline over a File/Blob (fileListSource
// reads Blob slices), with this package's resampler and extractor bundled as an app would, gives the
// bytes Node gives, and never reads the file whole.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { audioDecodeDecoder, makeSpectrogram, mapSource } from '@spgdataset/core';
import { wasmMelExtractor, wasmResampler } from '@spgdataset/dsp-wasm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInChromium } from '../../../config/headless-page';
import { chirpWav } from '../../../scripts/test-wav.mjs';
import { type BundledAppPage, bundledAppPage, dist } from './bundled-app-page';

const MINUTES = 3;
const RATE = 44100;
const grid = { sampleRate: 16000, windowSize: 16000, windowOffset: 8000, dtype: 'float32' as const };
const mel = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80, normalize: true };

describeInChromium('a multi-minute file through Blob slices', () => {
  let app: BundledAppPage;
  let wav: Buffer;

  beforeAll(async () => {
    wav = chirpWav(MINUTES * 60, RATE, 5);
    app = await bundledAppPage(
      `import { wasmMelExtractor, wasmResampler } from ${JSON.stringify(join(dist, 'index.js'))};
       import { audioDecodeDecoder, fileListSource, makeSpectrogram } from '@spgdataset/core';
       globalThis.buildLong = async (grid, mel) => {
         const blob = await (await fetch('./long.wav')).blob();
         const files = fileListSource([{ path: 'long.wav', blob }]);
         const reads = { whole: 0, ranges: 0, largest: 0 };
         const source = {
           ...files,
           read: (path) => { reads.whole++; return files.read(path); },
           readRange: (path, offset, length, into) => {
             reads.ranges++;
             reads.largest = Math.max(reads.largest, length);
             return files.readRange(path, offset, length, into);
           },
         };
         const parts = { ...grid, source, decoder: audioDecodeDecoder(), resampler: await wasmResampler(), extractor: await wasmMelExtractor(mel) };
         const { tensor } = await makeSpectrogram(parts, { path: 'long.wav', length: 0, size: blob.size });
         const digest = await crypto.subtle.digest('SHA-256', tensor.data);
         return { shape: tensor.shape, sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''), reads };
       };
       document.title = 'ready';`,
      { 'long.wav': wav },
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  it(`builds ${MINUTES} minutes at ${RATE} Hz in 1 MiB slices, equal to Node bit for bit`, async () => {
    const page = await app.headless.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${app.headless.origin}/`);
    await page.waitForFunction(() => document.title === 'ready');
    const inBrowser = (await page.evaluate(
      ([g, m]) =>
        (globalThis as unknown as { buildLong: (g: unknown, m: unknown) => Promise<unknown> }).buildLong(
          g,
          m,
        ),
      [grid, mel] as const,
    )) as { shape: number[]; sha256: string; reads: { whole: number; ranges: number; largest: number } };
    await page.close();
    expect(errors).toEqual([]);

    const parts = {
      ...grid,
      source: mapSource({ 'long.wav': new Uint8Array(wav) }),
      decoder: audioDecodeDecoder(),
      resampler: await wasmResampler(),
      extractor: await wasmMelExtractor(mel),
    };
    const { tensor } = await makeSpectrogram(parts, { path: 'long.wav', length: 0, size: wav.length });
    const sha256 = createHash('sha256')
      .update(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength))
      .digest('hex');
    expect(inBrowser.shape).toEqual(tensor.shape);
    expect(tensor.shape[1]).toBeGreaterThanOrEqual(MINUTES * 60 * 100);
    expect(inBrowser.sha256).toBe(sha256);
    // The page never held the file whole: only slices of at most 1 MiB (the file is 15.9 MB).
    expect(inBrowser.reads.whole).toBe(0);
    expect(inBrowser.reads.ranges).toBeGreaterThanOrEqual(Math.floor(wav.length / 2 ** 20));
    expect(inBrowser.reads.largest).toBeLessThanOrEqual(2 ** 20);
  });
});

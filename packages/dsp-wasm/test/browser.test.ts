import { join } from 'node:path';
import { sincResampler } from '@spgdataset/core';
import { loadGoldenFixtures, loadResampleFixtures } from '@spgdataset/core/conformance';
import { wasmMelExtractor, wasmResampler } from '@spgdataset/dsp-wasm';
import { goldenFixtureReader } from '@spgdataset/golden-fixtures/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInChromium } from '../../../config/headless-page';
import { type BundledAppPage, bundledAppPage, dist } from './bundled-app-page';

describeInChromium('dsp-wasm', () => {
  let app: BundledAppPage;

  beforeAll(async () => {
    app = await bundledAppPage(
      `import { wasmMelExtractor, wasmResampler } from ${JSON.stringify(join(dist, 'index.js'))};
       import { sincResampler } from '@spgdataset/core';
       globalThis.runExtractor = async (signal, params) => {
         const extractor = await wasmMelExtractor(params);
         const { data, shape } = extractor.extract(Float32Array.from(signal));
         return { data: Array.from(new Uint32Array(data.buffer)), shape };
       };
       globalThis.runResamplers = async (signal, from, to) => {
         const x = Float32Array.from(signal);
         const bits = (y) => Array.from(new Uint32Array(y.buffer));
         return { wasm: bits((await wasmResampler()).resample(x, from, to)), core: bits(sincResampler().resample(x, from, to)) };
       };
       document.title = 'ready';`,
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  it('gives the same output as Node for a golden fixture signal', async () => {
    const golden = (await loadGoldenFixtures(goldenFixtureReader())).find(
      (c) => c.signalKind === 'speech-like' && c.params.normalize,
    );
    expect(golden).toBeDefined();
    const { signal, params } = golden!;
    const page = await app.headless.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${app.headless.origin}/`);
    await page.waitForFunction(() => document.title === 'ready');
    const inBrowser = await page.evaluate(
      ([s, p]) =>
        (globalThis as unknown as { runExtractor: (s: number[], p: unknown) => unknown }).runExtractor(s, p),
      [Array.from(signal), params] as const,
    );
    const inNode = (await wasmMelExtractor(params)).extract(signal);
    expect(errors).toEqual([]);
    expect(inBrowser).toEqual({ data: Array.from(new Uint32Array(inNode.data.buffer)), shape: inNode.shape });
  });

  it('resamples like Node, bit for bit, in wasm and in core/sinc (float64 JavaScript)', async () => {
    const page = await app.headless.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${app.headless.origin}/`);
    await page.waitForFunction(() => document.title === 'ready');
    const wasm = await wasmResampler();
    const core = sincResampler();
    const fixtures = await loadResampleFixtures(goldenFixtureReader());
    for (const c of fixtures.filter((f) => f.name.endsWith('noise'))) {
      const inBrowser = await page.evaluate(
        ([s, from, to]) =>
          (
            globalThis as unknown as { runResamplers: (s: number[], f: number, t: number) => unknown }
          ).runResamplers(s, from, to),
        [Array.from(c.signal), c.fromRate, c.toRate] as const,
      );
      const bits = (y: Float32Array) => Array.from(new Uint32Array(y.buffer));
      expect(inBrowser, c.name).toEqual({
        wasm: bits(wasm.resample(c.signal, c.fromRate, c.toRate)),
        core: bits(core.resample(c.signal, c.fromRate, c.toRate)),
      });
    }
    expect(errors).toEqual([]);
  });
});

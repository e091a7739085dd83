// Loads the built browser entry (dist/index.js, bundled as an app would) in headless Chromium and
// checks its output equals Node's, bit for bit, on a golden fixture signal.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sincResampler } from '@spgdataset/core';
import { loadGoldenFixtures, loadResampleFixtures } from '@spgdataset/core/conformance';
import { wasmMelExtractor, wasmResampler } from '@spgdataset/dsp-wasm';
import { goldenFixtureReader } from '@spgdataset/golden-fixtures/node';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeInChromium,
  externalizeUnresolvable,
  type HeadlessPage,
  startHeadlessPage,
} from '../../../config/headless-page';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

describeInChromium('dsp-wasm', () => {
  let dir: string;
  let headless: HeadlessPage<Browser>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spg-dsp-wasm-browser-'));
    writeFileSync(
      join(dir, 'entry.js'),
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
    // As a bundler would: dist/index.js and core in one module, dsp.wasm copied next to it.
    await build({
      entryPoints: [join(dir, 'entry.js')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile: join(dir, 'app.js'),
      // The entry sits in a temp dir: resolve its bare imports as this package does.
      nodePaths: [join(dist, '..', 'node_modules')],
      logLevel: 'silent',
      plugins: [externalizeUnresolvable],
    });
    headless = await startHeadlessPage(chromium, (path) => {
      if (path === 'app.js') return { body: readFileSync(join(dir, 'app.js')) };
      if (path === 'dsp.wasm') return { body: readFileSync(join(dist, 'dsp.wasm')) };
      return undefined;
    });
  });

  afterAll(async () => {
    await headless?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same output as Node for a golden fixture signal', async () => {
    const golden = (await loadGoldenFixtures(goldenFixtureReader())).find(
      (c) => c.signalKind === 'speech-like' && c.params.normalize,
    );
    expect(golden).toBeDefined();
    const { signal, params } = golden!;
    const page = await headless.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${headless.origin}/`);
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
    const page = await headless.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${headless.origin}/`);
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

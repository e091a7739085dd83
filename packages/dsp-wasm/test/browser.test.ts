// Loads the built browser entry (dist/index.js, bundled as an app would) in headless Chromium and
// checks its output equals Node's, bit for bit, on a golden fixture signal.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sincResampler } from '@spgdataset/core';
import { loadGoldenFixtures, loadResampleFixtures } from '@spgdataset/core/conformance';
import { wasmMelExtractor, wasmResampler } from '@spgdataset/dsp-wasm';
import { goldenFixtureReader } from '@spgdataset/golden-fixtures/node';
import { build, type Plugin } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

const title = hasChromium
  ? 'dsp-wasm in headless Chromium'
  : `dsp-wasm in headless Chromium: SKIPPED, ${chromiumPath} not found (apt-get install chromium)`;

/**
 * Leaves imports esbuild cannot resolve (optional codecs that core's dependencies load lazily) to
 * the runtime; the extractor never reaches them.
 */
const externalizeUnresolvable: Plugin = {
  name: 'externalize-unresolvable',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'retry') return undefined;
      const result = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'retry',
      });
      return result.errors.length > 0 ? { path: args.path, external: true } : result;
    });
  },
};

describe.skipIf(!hasChromium)(title, () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let origin: string;

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
    writeFileSync(join(dir, 'dsp.wasm'), readFileSync(join(dist, 'dsp.wasm')));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./app.js"></script>');
    server = createServer((req, res) => {
      const name = (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '').slice(1);
      const file = join(dir, name);
      if (!/^[\w.-]+$/.test(name) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': types[extname(name)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise((resolve) => server.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same output as Node for a golden fixture signal', async () => {
    const golden = (await loadGoldenFixtures(goldenFixtureReader())).find(
      (c) => c.signalKind === 'speech-like' && c.params.normalize,
    );
    expect(golden).toBeDefined();
    const { signal, params } = golden!;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/`);
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
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/`);
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

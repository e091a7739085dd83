// Bundles the page in fixtures/page (it imports @spgdataset/core and @spgdataset/dsp-wasm from the
// installed tarballs) with each bundler at its plain settings, loads it in headless Chromium and
// compares what it computes with what Node computes from the same packages.
import { cpSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { rollup } from 'rollup';
import * as vite from 'vite';
import webpack from 'webpack';
import { repo } from './scratch-project.mjs';
import { serveStatic } from './static-server.mjs';

const CHROMIUM = '/usr/bin/chromium';
const pageFixtures = new URL('../fixtures/page/', import.meta.url).pathname;
const AUDIO = ['speech/m01_tones.flac', 'speech/f02_tones.mp3'];
const moduleHtml = (src) =>
  `<!doctype html><html><head><meta charset="utf-8"></head><body><script type="module" src="${src}"></script></body></html>`;

/** Copies the page and the audio it fetches into `<dir>/page` (audio also in `public/`). */
function preparePage(dir) {
  const page = join(dir, 'page');
  cpSync(pageFixtures, page, { recursive: true });
  mkdirSync(join(page, 'public'), { recursive: true });
  for (const file of AUDIO)
    cpSync(join(repo, 'samples', 'basic', file), join(page, 'public', file.split('/').pop()));
  return page;
}

function copyAudio(page, out) {
  cpSync(join(page, 'public'), out, { recursive: true });
}

/** Each bundler: builds into `out` (or starts a server) and resolves to `{ url, close? }`. */
const BUNDLERS = {
  'Vite 7 dev server': async (page) => {
    const server = await vite.createServer({
      root: page,
      configFile: false,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    await server.listen();
    return { url: server.resolvedUrls.local[0], close: () => server.close() };
  },
  'Vite 7 build': async (page, out) => {
    await vite.build({
      root: page,
      configFile: false,
      logLevel: 'silent',
      build: { outDir: out, emptyOutDir: true },
    });
    return serveStatic(out);
  },
  'esbuild 0.28': async (page, out) => {
    await esbuild.build({
      entryPoints: [join(page, 'main.js')],
      bundle: true,
      format: 'esm',
      outdir: out,
      logLevel: 'silent',
    });
    writeFileSync(join(out, 'index.html'), moduleHtml('./main.js'));
    copyAudio(page, out);
    return serveStatic(out);
  },
  'webpack 5': async (page, out) => {
    const stats = await new Promise((done, fail) =>
      webpack(
        {
          mode: 'production',
          context: page,
          entry: './main.js',
          output: { path: out, filename: 'main.js' },
          performance: { hints: false },
        },
        (error, result) => (error ? fail(error) : done(result)),
      ),
    );
    if (stats.hasErrors()) throw new Error(stats.toString('errors-only'));
    writeFileSync(
      join(out, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"></head><body><script src="./main.js"></script></body></html>',
    );
    copyAudio(page, out);
    return serveStatic(out);
  },
  'Rollup 4 (node-resolve)': (page, out) => rollupPage(page, out, [nodeResolve({ browser: true })]),
  'Rollup 4 (node-resolve + import-meta-assets)': (page, out) =>
    rollupPage(page, out, [nodeResolve({ browser: true }), importMetaAssets()]),
};

async function rollupPage(page, out, plugins) {
  const bundle = await rollup({ input: join(page, 'main.js'), plugins, onwarn: () => {} });
  await bundle.write({ dir: out, format: 'es' });
  await bundle.close();
  writeFileSync(join(out, 'index.html'), moduleHtml('./main.js'));
  copyAudio(page, out);
  return serveStatic(out);
}

/** What Node computes from the installed packages (the `node` export conditions). */
async function nodeResult(page) {
  const { readFile } = await import('node:fs/promises');
  const { compute } = await import(pathToFileURL(join(page, 'compute.js')).href);
  return compute(async (name) => new Uint8Array(await readFile(join(page, 'public', name))));
}

/** Resolves to `{ rows: [[bundler, result]], failures }`. */
export async function bundlersMatrix(dir) {
  const page = preparePage(dir);
  const dspWasmSize = statSync(join(dir, 'node_modules', '@spgdataset', 'dsp-wasm', 'dist', 'dsp.wasm')).size;
  const expected = await nodeResult(page);
  const rows = [];
  const failures = [];
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    for (const [name, bundle] of Object.entries(BUNDLERS)) {
      const started = performance.now();
      const out = join(dir, 'out', name.replace(/\W+/g, '-'));
      let served;
      try {
        served = await bundle(page, out);
        const tab = await browser.newPage();
        const pageErrors = [];
        tab.on('pageerror', (e) => pageErrors.push(e.message));
        // Which dsp.wasm the page used: the emitted asset (a served wasm of dsp.wasm's size) or the
        // embedded copy.
        const wasmSizes = [];
        tab.on('response', async (response) => {
          if (response.ok() && response.headers()['content-type'] === 'application/wasm')
            wasmSizes.push((await response.body().catch(() => Buffer.alloc(0))).length);
        });
        await tab.goto(served.url);
        await tab.waitForFunction(() => window.__result || window.__error, null, { timeout: 60_000 });
        const { result, error } = await tab.evaluate(() => ({
          result: window.__result,
          error: window.__error,
        }));
        await tab.close();
        if (error || pageErrors.length) throw new Error(error ?? pageErrors.join('\n'));
        const diff = Object.keys(expected).filter(
          (k) => JSON.stringify(result[k]) !== JSON.stringify(expected[k]),
        );
        if (diff.length) {
          throw new Error(
            `differs from Node in ${diff.join(', ')}:\n${diff.map((k) => `  page ${JSON.stringify(result[k])}\n  node ${JSON.stringify(expected[k])}`).join('\n')}`,
          );
        }
        const source = wasmSizes.includes(dspWasmSize) ? 'dsp.wasm asset' : 'embedded copy';
        rows.push([name, `ok (${source}, ${((performance.now() - started) / 1000).toFixed(1)} s)`]);
      } catch (error) {
        rows.push([name, 'FAIL']);
        failures.push(`${name}: ${error?.stack ?? error}`);
      } finally {
        await served?.close?.();
      }
    }
  } finally {
    await browser.close();
  }
  const what = `log-mel ${expected.mel.shape.join('x')}, WAV ${expected.wav.length} samples, FLAC ${expected.flac.length}, MP3 ${expected.mp3.length}`;
  return { rows, failures, what };
}

// The browser deployment, end to end: the built Vite page (web/) in headless Debian Chromium builds the
// samples/basic dataset from the picked folder with dsp-wasm + a memory cache, and draws an item.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { openSpectrogramDataset } from 'spgdataset';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const app = fileURLToPath(new URL('..', import.meta.url));
const samples = fileURLToPath(new URL('../../../samples/basic', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'spg-web-'));
const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};
let server: Server;
let browser: Browser;
let url: string;

describe.skipIf(!existsSync(CHROMIUM))('browser page (headless Chromium)', () => {
  beforeAll(async () => {
    await build({
      configFile: join(app, 'vite.config.ts'),
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true },
    });
    server = createServer((request, response) => {
      const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(
        /^\/+/,
        '',
      );
      const file = join(outDir, path || 'index.html');
      if (!file.startsWith(outDir) || !existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      response.end(readFileSync(file));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
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
    await new Promise((done) => server?.close(done));
    rmSync(outDir, { recursive: true, force: true });
  });

  it('builds the dataset from a picked folder and draws a non-blank spectrogram with its mask band', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.setInputFiles('#folder', samples);
    await page.click('#build');
    await page.waitForFunction(
      () => document.body.dataset.state === 'ready' || document.body.dataset.state === 'error',
      null,
      {
        timeout: 60_000,
      },
    );
    const status = await page.textContent('#status');
    expect(errors, status ?? '').toEqual([]);
    expect(await page.evaluate(() => document.body.dataset.state), status ?? '').toBe('ready');

    // The same dataset in Node: same options, same item count and classes.
    const scratch = mkdtempSync(join(tmpdir(), 'spg-web-node-'));
    const node = await openSpectrogramDataset({
      audioRoot: samples,
      metadataJsonPath: join(samples, 'metadata.json'),
      spectrogramsRoot: join(scratch, 'spg'),
      indexRoot: join(scratch, 'index'),
      outputConfiguration: { masks: ['speech'], label: 'kind' },
      logger: { info: () => {}, warn: () => {} },
    });
    rmSync(scratch, { recursive: true, force: true });
    const inPage = (await page.evaluate('window.__spg')) as { length: number; classes: string[] };
    expect(inPage.length).toBe(node.length);
    expect(inPage.classes).toEqual([...node.classes]);

    // The canvas: a spectrogram with many colours, and a band that is coloured exactly where the mask is 1.
    const picture = await page.evaluate(() => {
      const canvas = document.getElementById('view') as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const colours = new Set<number>();
      for (let o = 0; o < data.length; o += 4)
        colours.add((data[o]! << 16) | (data[o + 1]! << 8) | data[o + 2]!);
      const bandRow = canvas.height - 6; // middle of the (only) mask band
      const band: boolean[] = [];
      for (let x = 1; x < canvas.width; x += 3) band.push(data[(bandRow * canvas.width + x) * 4]! > 100);
      return { colours: colours.size, band, width: canvas.width };
    });
    const item = (await page.evaluate('window.__spgItem')) as { masks: { speech: number[] } };
    expect(picture.colours).toBeGreaterThan(50);
    expect(picture.band).toEqual(item.masks.speech.map((v) => v > 0));
    expect(item.masks.speech.some((v) => v > 0)).toBe(true);
    await page.screenshot({ path: join(tmpdir(), 'spg-browser-page.png') });
  });
  it('shows an error apart from the status: role="alert", red, with the error code and message', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.setInputFiles('#folder', samples);
    await page.fill('#masks', 'nosuchmask');
    await page.click('#build');
    await page.waitForFunction(() => document.body.dataset.state !== 'building', null, { timeout: 60_000 });
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('error');
    const shown = await page.evaluate(() => {
      const box = document.getElementById('error')!;
      const style = getComputedStyle(box);
      return {
        role: box.getAttribute('role'),
        hidden: box.hidden,
        visible: box.getBoundingClientRect().height > 0,
        color: style.color,
        code: box.querySelector('.code')?.textContent,
        text: box.textContent,
        status: document.getElementById('status')!.textContent,
        statusColor: getComputedStyle(document.getElementById('status')!).color,
      };
    });
    expect(shown.role).toBe('alert');
    expect(shown.hidden).toBe(false);
    expect(shown.visible).toBe(true);
    // Red: the red channel well above green and blue, and unlike the status line's colour.
    const [r, g, b] = shown.color.match(/\d+/g)!.map(Number);
    expect(r! > 200 && g! < 140 && b! < 140, shown.color).toBe(true);
    expect(shown.color).not.toBe(shown.statusColor);
    expect(shown.code).toBe('SPG_METADATA_MISSING_FIELD');
    expect(shown.text).toContain('intervals.nosuchmask');
    expect(shown.status).not.toContain('nosuchmask');
    await page.close();
  });
});

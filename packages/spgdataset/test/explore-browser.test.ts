// `spgdataset explore` end to end: the built CLI serves the bundled samples/basic data (built first
// with `spgdataset build`) and headless Debian Chromium reads it like a person would: the overview's
// counts against `spgdataset inspect`, an item's mask bands pixel by pixel against the library's
// masks, its audio playing with a moving playhead, the class filter and the file view, all from the
// keyboard. Screenshots go to .tmp/test-output/.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import { openSpectrogramDataset, type SpectrogramDataset } from '../src/index';
import { metadataPath, samples, samplesFlags } from './basic-samples';

const CHROMIUM = '/usr/bin/chromium';
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const page = fileURLToPath(new URL('../dist/explore/index.html', import.meta.url));
const output = fileURLToPath(new URL('../.tmp/test-output', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'spg-explore-browser-'));
const cache = join(work, 'cache');
const index = join(work, 'index');
const flags = samplesFlags(
  cache,
  index,
  '--label',
  'kind',
  '--masks',
  'speech,noise',
  '--meta',
  'gender',
  '--window-content-ratio',
  '0',
);

let server: ChildProcess;
let url: string;
let browser: Browser;
let tab: Page;
let inspectText: string;
let oracle: SpectrogramDataset;
const pageErrors: string[] = [];
/** Requests the page made to anywhere but the explore server (there must be none). */
const offline: string[] = [];

/** The rows of the table in `text` whose header line starts with `first`. */
function table(text: string, first: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${first} `));
  if (start < 0) throw new Error(`no "${first}" table in:\n${text}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.trim()) break;
    rows.push(line.trim().split(/\s+/));
  }
  return rows;
}

function field(text: string, name: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no "${name}" line in:\n${text}`);
  return line.slice(name.length).trim();
}

/** Starts `spgdataset explore` and resolves with the URL it prints. */
function startExplore(): Promise<string> {
  server = spawn(process.execPath, [cli, 'explore', ...flags, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (found) resolve(found[0]);
    });
    server.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    server.on('exit', (code) => reject(new Error(`explore exited with ${code}: ${err}`)));
  });
}

describe.skipIf(!existsSync(CHROMIUM))('spgdataset explore in headless Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(cli) || !existsSync(page))
      throw new Error('dist/cli.js or dist/explore/index.html is missing: run `pnpm build` first');
    mkdirSync(output, { recursive: true });
    await promisify(execFile)(process.execPath, [cli, 'build', ...flags]);
    let stdout = '';
    const code = await runCli(['inspect', ...flags], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: () => {} },
    });
    expect(code).toBe(0);
    inspectText = stdout;
    oracle = await openSpectrogramDataset({
      audioRoot: samples,
      metadataJsonPath: metadataPath,
      spectrogramsRoot: cache,
      indexRoot: index,
      split: [0.5, 0.25, 0.25],
      windowContentRatio: 0,
      outputConfiguration: { masks: ['speech', 'noise'], meta: ['gender'], label: 'kind' },
      logger: { info: () => {}, warn: () => {} },
    });
    url = await startExplore();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
    tab = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    tab.on('pageerror', (e) => pageErrors.push(e.message));
    // No request may leave the machine: the page is self-contained.
    await tab.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
      offline.push(route.request().url());
      return route.abort();
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((done) => server.once('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  });

  const ready = (view: string) =>
    tab.waitForFunction(
      (v) => document.body.dataset.view === v && document.body.dataset.state === 'ready',
      view,
    );

  it('shows the counts `spgdataset inspect` prints', async () => {
    await tab.goto(url);
    await ready('overview');
    const fact = (name: string) => tab.locator(`[data-fact="${name}"]`).textContent();
    expect(await fact('files')).toBe(field(inspectText, 'files'));
    expect(await fact('windows')).toBe(field(inspectText, 'windows'));
    expect(await fact('skipped')).toBe(field(inspectText, 'skipped'));
    const splits = table(inspectText, 'split');
    for (const [name, windows] of splits)
      expect(
        await tab.locator(`[data-chart="splits"] [data-name="${name}"]`).getAttribute('data-value'),
      ).toBe(windows);
    const classes = table(inspectText, 'class');
    expect(classes.length).toBe(2);
    for (const [name, ...counts] of classes) {
      const cells = await tab
        .locator(`[data-table="classes"] tr[data-class="${name}"] td.num`)
        .allInnerTexts();
      expect(cells).toEqual(counts);
    }
    for (const [name, coverage, framesSet, frames] of table(inspectText, 'mask')) {
      const text = await tab.locator(`[data-chart="masks"] [data-name="${name}"]`).textContent();
      expect(text).toBe(`${coverage} (${framesSet} of ${frames} frames)`);
    }
    expect(await tab.locator('[data-list="warnings"] li').count()).toBe(
      inspectText.split('\n').filter((l) => l.startsWith('warning: ')).length,
    );
    await tab.screenshot({ path: join(output, 'explore-overview.png') });
  });

  it('filters from the keyboard and draws the item with each mask band where the mask is set', async () => {
    await tab.keyboard.press('/');
    await tab.keyboard.type('f01_tones');
    await tab.waitForFunction(() => document.querySelector('#count')?.textContent?.startsWith('21 of'));
    await tab.keyboard.press('Enter');
    await ready('item');
    // The first window of speech/f01_tones.wav, then two down: window 2, where speech starts.
    const first = Number(await tab.locator('#view').getAttribute('data-item-id'));
    await tab.keyboard.press('ArrowDown');
    await tab.keyboard.press('ArrowDown');
    await tab.waitForFunction(
      (id) => document.getElementById('view')?.dataset.itemId === String(id),
      first + 2,
    );
    await ready('item');
    const report = oracle.report();
    let split = 0;
    let at = first + 2;
    while (at >= report.splitItems[split]!) at -= report.splitItems[split++]!;
    oracle.setMode(split);
    expect(oracle.locate(at)).toMatchObject({ path: 'speech/f01_tones.wav', window: 2 });
    const expected = await oracle.get(at);

    const bands = await tab.evaluate(() => {
      const canvas = document.getElementById('spectrogram') as HTMLCanvasElement;
      const d = canvas.dataset;
      const layout = {
        left: Number(d.plotLeft),
        frameWidth: Number(d.frameWidth),
        frames: Number(d.frames),
        bands: JSON.parse(d.bands!) as { name: string; top: number; height: number; color: number[] }[],
      };
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      return layout.bands.map((band) => {
        const columns: number[][] = [];
        for (let t = 0; t < layout.frames; t++) {
          // every pixel column of frame t, on the band's middle row
          const y = band.top + Math.floor(band.height / 2);
          for (let dx = 0; dx < layout.frameWidth; dx++) {
            const o = (y * canvas.width + layout.left + t * layout.frameWidth + dx) * 4;
            columns.push([t, pixels.data[o]!, pixels.data[o + 1]!, pixels.data[o + 2]!]);
          }
        }
        return { name: band.name, color: band.color, columns };
      });
    });
    expect(bands.map((b) => b.name)).toEqual(['speech', 'noise']);
    const off = [52, 52, 60];
    for (const band of bands) {
      const mask = expected.masks![band.name]!.data;
      const drawn = new Array<number>(mask.length).fill(-1);
      for (const [t, r, g, b] of band.columns) {
        const on = r === band.color[0] && g === band.color[1] && b === band.color[2];
        const isOff = r === off[0] && g === off[1] && b === off[2];
        expect(on || isOff, `${band.name} frame ${t}: rgb(${r},${g},${b})`).toBe(true);
        if (drawn[t!] === -1) drawn[t!] = on ? 1 : 0;
        expect(drawn[t!], `${band.name} frame ${t} has both colours`).toBe(on ? 1 : 0);
      }
      expect(drawn, band.name).toEqual(Array.from(mask, (v) => (v >= 0.5 ? 1 : 0)));
    }
    const speech = expected.masks!.speech!.data;
    expect(speech.includes(1) && speech.includes(0)).toBe(true);
  });

  it('plays the window from the space key, with the playhead moving over the spectrogram', async () => {
    await tab.keyboard.press('Space');
    await tab.waitForFunction(() => document.body.dataset.audio === 'playing');
    const left = Number(await tab.locator('#spectrogram').getAttribute('data-plot-left'));
    await tab.waitForFunction(() => (document.getElementById('audio') as HTMLAudioElement).currentTime > 0.5);
    const state = await tab.evaluate(() => {
      const audio = document.getElementById('audio') as HTMLAudioElement;
      return {
        paused: audio.paused,
        duration: audio.duration,
        x: Number(document.getElementById('playhead')!.dataset.playheadX),
      };
    });
    expect(state.paused).toBe(false);
    expect(state.duration).toBeCloseTo(1.92, 2);
    expect(state.x).toBeGreaterThan(left);
    await tab.screenshot({ path: join(output, 'explore-item.png') });
    await tab.waitForFunction(
      (x) => Number(document.getElementById('playhead')!.dataset.playheadX) > x,
      state.x,
    );
    await tab.keyboard.press('Space');
    await tab.waitForFunction(() => document.body.dataset.audio === 'paused');
  });

  it('opens the file of the item with its kept windows', async () => {
    await tab.keyboard.press('f');
    await ready('file');
    const kept = await tab.locator('[data-field="windows"]').textContent();
    let count = 0;
    const report = oracle.report();
    report.splitItems.forEach((n, k) => {
      oracle.setMode(k);
      for (let i = 0; i < n; i++) if (oracle.locate(i).path === 'speech/f01_tones.wav') count++;
    });
    expect(kept).toBe(`${count} kept of ${count}`);
    await tab.screenshot({ path: join(output, 'explore-file.png') });
  });

  it('filters by class', async () => {
    await tab.keyboard.press('/');
    await tab.keyboard.press('Control+A');
    await tab.keyboard.press('Backspace');
    await tab.keyboard.press('Escape');
    const noise = table(inspectText, 'class').find((row) => row[0] === 'noise')!;
    await tab.selectOption('#class-filter', { label: `noise (${noise.at(-1)})` });
    await tab.waitForFunction((n) => document.getElementById('count')?.dataset.total === n, noise.at(-1));
    const labels = await tab.locator('.item-row span:last-child').allInnerTexts();
    expect(labels.length).toBe(Number(noise.at(-1)));
    expect(new Set(labels)).toEqual(new Set(['noise']));
  });

  it('stops on SIGTERM, and the page raised no error', async () => {
    expect(pageErrors).toEqual([]);
    expect(offline).toEqual([]);
    const exited = new Promise<number | null>((done) => server.once('exit', done));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

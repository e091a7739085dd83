// The explore page with 100,000 items: a stand-in dataset (1,000 files x 100 kept windows, made here)
// behind the real server and the built page in headless Chromium. Measures, per keystroke in the
// filter box, the time from the input event to the new rows on screen (and to the next painted
// frame), and per jump of the list's scroll position the time until the rows in view are filled.
// Printed as a table; each must stay under 100 ms. Indicative only on a shared machine.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  deriveSizes,
  type IndexedFile,
  type Item,
  maskFrames,
  type OutputConfiguration,
} from '@spgdataset/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherFacts } from '../src/cli/dataset-facts';
import type { InspectableDataset } from '../src/cli/inspectable-dataset';
import { buildExploreModel } from '../src/explore/explore-model';
import { exploreSummary } from '../src/explore/explore-summary';
import { type ExploreServer, startExploreServer } from '../src/explore/start-explore-server';

const CHROMIUM = '/usr/bin/chromium';
const pageRoot = fileURLToPath(new URL('../dist/explore/', import.meta.url));
const FILES = 1000;
const WINDOWS = 100;
/** The target per keystroke / scroll jump; every run prints whether it held. */
const TARGET_MS = 100;
/**
 * What fails the test: by default a guard of 5x the target, since the suite shares 2 cores with
 * other test files, which still catches rendering that grows with the list (100,000 DOM rows take
 * seconds); SPG_EXPLORE_LIMIT_MS=100 holds a quiet machine to the target itself.
 */
const LIMIT_MS = Number(process.env.SPG_EXPLORE_LIMIT_MS ?? 5 * TARGET_MS);
const sizes = deriveSizes({ sampleRate: 16000, hopLength: 160, windowSizeSec: 1.92, windowOffsetSec: 0.1 });
const kinds = ['music', 'noise', 'speech'];

/** 1,000 files of 100 kept windows each; split part by file number (8:1:1). */
function standInFiles(): IndexedFile[] {
  const length = sizes.windowSize + (WINDOWS - 1) * sizes.windowOffset;
  return Array.from({ length: FILES }, (_, f) => {
    const kind = kinds[f % 3]!;
    return {
      path: `${kind}/spk${f % 50}/rec${String(f).padStart(4, '0')}.wav`,
      size: 1000,
      changeToken: '1',
      length,
      intervals: { speech: [[8000, 60000] as [number, number]] },
      metadata: { kind, speaker: `s${f % 50}`, gender: f % 2 ? 'f' : 'm' },
      windows: Array.from({ length: WINDOWS }, (_, w) => [w, (w % 10) / 10] as [number, number]),
    };
  });
}

/** What the explorer reads from a dataset, over `files`, carrying `output`. */
function standInDataset(files: IndexedFile[], output: OutputConfiguration): InspectableDataset {
  const parts: [number, number][][] = [[], [], []];
  files.forEach((file, f) => {
    const k = f % 10 < 8 ? 0 : f % 10 === 8 ? 1 : 2;
    for (const [w] of file.windows) parts[k]!.push([f, w]);
  });
  const classes = [...kinds];
  let mode = 0;
  const at = (i: number) => {
    const row = parts[mode]![i];
    if (!row) throw new RangeError(`item ${i} out of range`);
    return row;
  };
  return {
    get length() {
      return parts[mode]!.length;
    },
    classes,
    outputConfiguration: output,
    sizes,
    indexFingerprint: 'stand-in',
    setMode: (k: number) => {
      mode = k;
    },
    locate: (i: number) => {
      const [f, w] = at(i);
      return {
        path: files[f]!.path,
        window: w,
        startSample: w * sizes.windowOffset,
        contentRatio: files[f]!.windows[w]![1],
      };
    },
    get: async (i: number) => {
      const [f, w] = at(i);
      const file = files[f]!;
      const item: Item = {
        label: classes.indexOf(String(file.metadata.kind)),
        meta: { gender: file.metadata.gender },
      };
      item.masks = {
        speech: {
          data: maskFrames({
            intervals: file.intervals.speech!,
            start: w * sizes.windowOffset,
            windowSize: sizes.windowSize,
            hopLength: sizes.hopLength,
            length: file.length,
            spgLength: sizes.spgLength,
          }),
          shape: [sizes.spgLength],
        },
      };
      if (output.spectrogram) {
        const data = new Float32Array(80 * sizes.spgLength);
        for (let j = 0; j < data.length; j++) data[j] = Math.sin(j * 0.01 + f) + (j % sizes.spgLength) / 100;
        item.spectrogram = { data, shape: [80, sizes.spgLength] };
      }
      if (output.audio) {
        const data = new Float32Array(sizes.windowSize);
        for (let j = 0; j < data.length; j++)
          data[j] = 0.3 * Math.sin((2 * Math.PI * 440 * j) / sizes.sampleRate);
        item.audio = { data, shape: [sizes.windowSize] };
      }
      return item;
    },
    report: () =>
      ({
        files: files.length,
        items: parts.reduce((a, p) => a + p.length, 0),
        classes,
        splitItems: parts.map((p) => p.length),
        mode,
        fraction: 1,
        modeItems: parts[mode]!.length,
        skipped: [],
        nonAudio: [],
        warnings: [],
      }) as never,
  };
}

let server: ExploreServer;
let browser: Browser;
let tab: Page;
const files = standInFiles();

interface KeystrokeTiming {
  key: string;
  filter: string;
  rows: number;
  rendered: number;
  painted: number;
}

interface ScrollTiming {
  position: number;
  ms: number;
  firstRow: number;
  firstId: number;
  empty: number;
}

/** Timed rounds at most: a step's figure is its best round, since other test files load the machine. */
const ROUNDS = 3;

/** Per step, the smallest value over the rounds. */
function best<T>(rounds: T[][], value: (t: T) => number): number[] {
  return rounds[0]!.map((_, k) => Math.min(...rounds.map((round) => value(round[k]!))));
}

type Timings = { __explore: { timings: { filter: number[]; painted: number[] } } };

/** Presses each key in the filter box and reads the page's timing of the list update it caused. */
async function typeAndTime(keys: string[]): Promise<KeystrokeTiming[]> {
  const out: KeystrokeTiming[] = [];
  for (const key of keys) {
    const before = await tab.evaluate(() => (window as never as Timings).__explore.timings.painted.length);
    await tab.keyboard.press(key);
    await tab.waitForFunction(
      (n) => (window as never as Timings).__explore.timings.painted.length > n,
      before,
    );
    const result = await tab.evaluate(() => {
      const t = (window as never as Timings).__explore.timings;
      return {
        filter: (document.getElementById('filter') as HTMLInputElement).value,
        rows: Number(document.getElementById('count')!.dataset.total),
        rendered: t.filter.at(-1)!,
        painted: t.painted.at(-1)!,
      };
    });
    out.push({ key, ...result });
  }
  return out;
}

/** Sets the list's scroll position to each row (after dropping the loaded rows) and times the fill. */
function jumpAndTime(positions: number[]): Promise<ScrollTiming[]> {
  return tab.evaluate(async (jumps) => {
    const list = document.getElementById('list')!;
    const explore = (
      window as never as {
        __explore: { list: { idle(): Promise<void>; setFilter(p: URLSearchParams): Promise<void> } };
      }
    ).__explore;
    await explore.list.setFilter(new URLSearchParams());
    const out: ScrollTiming[] = [];
    for (const position of jumps) {
      const started = performance.now();
      list.scrollTop = position * 24;
      await explore.list.idle();
      await new Promise(requestAnimationFrame);
      const ms = performance.now() - started;
      const top = list.scrollTop;
      const inView = Array.from(list.querySelectorAll<HTMLElement>('.item-row'))
        .filter((r) => r.offsetTop >= top && r.offsetTop < top + list.clientHeight)
        .sort((a, b) => a.offsetTop - b.offsetTop);
      out.push({
        position,
        ms,
        firstRow: Math.ceil(top / 24),
        firstId: Number(inView[0]?.dataset.id),
        empty: inView.filter((r) => !r.dataset.id).length,
      });
    }
    return out;
  }, positions);
}

describe.skipIf(!existsSync(CHROMIUM))('explore with 100,000 items', () => {
  beforeAll(async () => {
    if (!existsSync(`${pageRoot}index.html`))
      throw new Error('dist/explore is missing: run `pnpm build` first');
    const output = { audio: false, spectrogram: false, masks: ['speech'], meta: ['gender'], label: 'kind' };
    const light = standInDataset(files, output);
    const model = await buildExploreModel(light, files);
    const facts = await gatherFacts(light, (files.length * files[0]!.length) / sizes.sampleRate);
    const summary = exploreSummary({ title: 'stand-in', facts, model, sizes, output, initialSplit: null });
    server = await startExploreServer({
      sources: {
        summary,
        model,
        items: standInDataset(files, { ...output, spectrogram: true, audio: true }),
      },
      pageRoot,
      port: 0,
    });
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
    tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await tab.goto(server.url);
    await tab.waitForFunction(() => document.getElementById('count')?.dataset.total === '100000');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(`filters in under ${TARGET_MS} ms per keystroke (fails above ${LIMIT_MS} ms)`, async () => {
    const keys = [
      ...'rec012',
      ...Array(6).fill('Backspace'),
      ...'speech/spk4',
      ...Array(11).fill('Backspace'),
    ];
    await tab.keyboard.press('/');
    const rounds: KeystrokeTiming[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push(await typeAndTime(keys));
      if (best(rounds, (r) => r.painted).every((ms) => ms < TARGET_MS)) break;
    }
    const first = rounds[0]!;
    const painted = best(rounds, (r) => r.painted);
    const rendered = best(rounds, (r) => r.rendered);
    console.log(
      `filter, 100,000 items, headless Chromium: input event -> rows in the DOM / -> next frame painted (ms),\nbest of ${rounds.length} round(s); other test files share the 2 cores meanwhile:\n${first
        .map(
          (r, k) =>
            `  ${JSON.stringify(r.filter).padEnd(15)} ${String(r.rows).padStart(6)} rows  ${rendered[k]!.toFixed(1).padStart(6)}  ${painted[k]!.toFixed(1).padStart(6)}   rounds: ${rounds.map((x) => x[k]!.painted.toFixed(1)).join(' ')}`,
        )
        .join('\n')}\n  max ${Math.max(...painted).toFixed(1)} ms painted`,
    );
    // the filter is right: 'rec012' matches files 120-129 (100 windows each), 'speech/spk4' the speech files of speakers 4, 40-49
    expect(first[5]).toMatchObject({ filter: 'rec012', rows: 10 * WINDOWS });
    const spk4 = files.filter((f) => f.path.includes('speech/spk4')).length * WINDOWS;
    expect(first.find((r) => r.filter === 'speech/spk4')?.rows).toBe(spk4);
    expect(first.at(-1)).toMatchObject({ filter: '', rows: FILES * WINDOWS });
    for (const round of rounds)
      expect(round.map((r) => [r.filter, r.rows])).toEqual(first.map((r) => [r.filter, r.rows]));
    const visible = await tab.locator('.item-row').count();
    expect(visible).toBeGreaterThan(10);
    expect(visible).toBeLessThan(80);
    console.log(
      `filter: target ${TARGET_MS} ms per keystroke ${Math.max(...painted) < TARGET_MS ? 'held' : 'MISSED'}`,
    );
    painted.forEach((ms, k) => {
      expect(ms, `after ${JSON.stringify(first[k]!.filter)}`).toBeLessThan(LIMIT_MS);
    });
  });

  it(`scrolls anywhere in under ${TARGET_MS} ms (fails above ${LIMIT_MS} ms)`, async () => {
    await tab.keyboard.press('Escape');
    const positions = [50_000, 99_970, 12_345, 75_000, 333, 88_888, 0, 60_001];
    const rounds: ScrollTiming[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push(await jumpAndTime(positions));
      if (best(rounds, (r) => r.ms).every((ms) => ms < TARGET_MS)) break;
    }
    const times = best(rounds, (r) => r.ms);
    console.log(
      `scroll, 100,000 items: scrollTop set -> rows in view fetched and filled, next frame (ms), best of ${rounds.length} round(s):\n${positions
        .map(
          (p, k) =>
            `  row ${String(p).padStart(6)}  ${times[k]!.toFixed(1).padStart(6)}   rounds: ${rounds.map((x) => x[k]!.ms.toFixed(1)).join(' ')}`,
        )
        .join('\n')}\n  max ${Math.max(...times).toFixed(1)} ms`,
    );
    for (const round of rounds)
      for (const t of round) {
        // without a filter, row n is item n; near the end the list stops at its last row
        expect(t.firstId, `row ${t.position}`).toBe(t.firstRow);
        if (t.position < 99_000) expect(t.firstRow).toBe(t.position);
        else expect(t.firstRow).toBeGreaterThan(99_900);
        expect(t.empty).toBe(0);
      }
    console.log(
      `scroll: target ${TARGET_MS} ms per jump ${Math.max(...times) < TARGET_MS ? 'held' : 'MISSED'}`,
    );
    times.forEach((ms, k) => {
      expect(ms, `row ${positions[k]}`).toBeLessThan(LIMIT_MS);
    });
  });
});

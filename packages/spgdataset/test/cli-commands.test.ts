import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PREVIEW_AXIS_HEIGHT,
  PREVIEW_BAND_COLORS,
  PREVIEW_BAND_GAP,
  PREVIEW_BAND_HEIGHT,
  PREVIEW_BAND_OFF,
  PREVIEW_FRAME_SCALE,
  PREVIEW_MARGIN_LEFT,
  PREVIEW_MARGIN_RIGHT,
  PREVIEW_MEL_SCALE,
  PREVIEW_TITLE_HEIGHT,
} from '../src/cli/preview-layout';
import { runCli } from '../src/cli/run-cli';
import { openSpectrogramDataset } from '../src/index';
import { metadataPath, samples, samplesFlags, samplesMetadata } from './basic-samples';

// The three commands on the bundled samples/basic data (8 audio files + metadata.json + a README).
const metadata = samplesMetadata<{ length?: number }>();
const work = mkdtempSync(join(tmpdir(), 'spg-cli-samples-'));
const cache = join(work, 'cache');
const index = join(work, 'index');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const datasetFlags = samplesFlags(
  cache,
  index,
  '--label',
  'gender',
  '--masks',
  'speech,noise',
  '--window-content-ratio',
  '0',
);
/** The same dataset through the library, as the oracle for counts. */
const openOracle = () =>
  openSpectrogramDataset({
    audioRoot: samples,
    metadataJsonPath: metadataPath,
    spectrogramsRoot: cache,
    indexRoot: index,
    split: [0.5, 0.25, 0.25],
    windowContentRatio: 0,
    outputConfiguration: { masks: ['speech', 'noise'], label: 'gender' },
    logger: { info: () => {}, warn: () => {} },
  });

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd: work,
  });
  return { code, stdout, stderr };
}

function field(text: string, name: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no "${name}" line in:\n${text}`);
  return line.slice(name.length).trim();
}

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => {
    const p = join(dir, e.name);
    return sum + (e.isDirectory() ? folderBytes(p) : statSync(p).size);
  }, 0);
}

let build: Awaited<ReturnType<typeof run>>;
let lengths: number[];

beforeAll(async () => {
  build = await run(['build', ...datasetFlags]);
  const ds = await openOracle();
  lengths = [0, 1, 2].map((k) => {
    ds.setMode(k);
    return ds.length;
  });
});

describe('build', () => {
  it('exits 0 and prints the summary', () => {
    expect(build.stderr).not.toContain('internal error');
    expect(build.code).toBe(0);
  });

  it('counts the 8 audio files of metadata.json', () => {
    expect(Object.keys(metadata)).toHaveLength(8);
    expect(field(build.stdout, 'files')).toBe('8');
  });

  it('gives the windows per split the dataset has', () => {
    const total = lengths.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(field(build.stdout, 'windows')).toBe(
      `train ${lengths[0]}, validate ${lengths[1]}, test ${lengths[2]} (${total} total)`,
    );
  });

  it('reports the hours of audio: at least the lengths metadata.json gives', () => {
    const m = /^([\d.]+) h \(([\d.]+) s\)$/.exec(field(build.stdout, 'audio'));
    expect(m).not.toBeNull();
    const known = Object.values(metadata).reduce((s, e) => s + (e.length ?? 0), 0) / 16000;
    expect(Number(m![2])).toBeGreaterThan(known);
    expect(Number(m![2])).toBeLessThan(known + 10);
  });

  it('reports the cache size on disk, the wall time and the real-time factor', () => {
    expect(field(build.stdout, 'cache')).toContain(cache);
    const bytes = folderBytes(cache);
    expect(bytes).toBeGreaterThan(0);
    expect(field(build.stdout, 'cache')).toMatch(
      new RegExp(`^${(bytes / 1000).toFixed(1)} kB|^${(bytes / 1e6).toFixed(1)} MB`),
    );
    expect(field(build.stdout, 'time')).toMatch(/^[\d.]+ s, [\d.]+x real time$/);
  });

  it('names the extractor (wasm by default)', () => {
    expect(field(build.stdout, 'extractor')).toBe('dsp-wasm/log-mel');
  });

  it('a second build reuses every spectrogram', async () => {
    const again = await run(['build', ...datasetFlags]);
    expect(again.code).toBe(0);
    expect(field(again.stdout, 'spectrograms')).toMatch(/^0 generated, [1-9]\d* already cached/);
  });
});

describe('inspect', () => {
  it('prints one row per class with its windows per split, and mask coverage', async () => {
    const { code, stdout } = await run(['inspect', ...datasetFlags]);
    expect(code).toBe(0);
    const ds = await openOracle();
    const lines = stdout.split('\n');
    const frames = ds.sizes.spgLength;
    const counts = new Map(ds.classes.map((c) => [c, [0, 0, 0]]));
    const set = { speech: 0, noise: 0 };
    let windows = 0;
    for (let k = 0; k < 3; k++) {
      ds.setMode(k);
      for (let i = 0; i < ds.length; i++) {
        const item = await ds.get(i);
        counts.get(ds.classes[item.label!]!)![k]!++;
        for (const name of ['speech', 'noise'] as const)
          set[name] += item.masks![name]!.data.reduce((a, b) => a + b, 0);
        windows++;
      }
    }
    expect(field(stdout, 'files')).toBe('8');
    expect(ds.classes).toEqual(['f', 'm', 'none']);
    for (const [name, c] of counts) {
      const row = [name, ...c, c[0]! + c[1]! + c[2]!].join('\\s+');
      expect(lines.some((l) => new RegExp(`^${row}$`).test(l))).toBe(true);
    }
    for (const name of ['speech', 'noise'] as const) {
      const pct = ((100 * set[name]) / (windows * frames)).toFixed(1);
      expect(
        lines.some((l) => new RegExp(`^${name}\\s+${pct}%\\s+${set[name]}\\s+${windows * frames}$`).test(l)),
      ).toBe(true);
    }
    expect(lines.some((l) => /^validate\s+\d+$/.test(l))).toBe(true);
  });
});

describe('inspect --on-error skip', () => {
  it('lists a file that cannot be decoded, and why', async () => {
    const audio = join(work, 'with-broken');
    cpSync(samples, audio, { recursive: true });
    writeFileSync(join(audio, 'speech', 'broken.wav'), 'RIFF not really a wave file');
    const entries = {
      ...metadata,
      'speech/broken.wav': { intervals: { speech: [], noise: [] }, metadata: { gender: 'f' } },
    };
    writeFileSync(join(audio, 'metadata.json'), JSON.stringify(entries));
    const flags = [
      audio,
      '--metadata',
      join(audio, 'metadata.json'),
      '--cache',
      join(work, 'c2'),
      '--index',
      join(work, 'i2'),
    ];
    const strict = await run(['inspect', ...flags]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('broken.wav');
    const { code, stdout } = await run(['inspect', ...flags, '--on-error', 'skip']);
    expect(code).toBe(0);
    expect(field(stdout, 'files')).toBe('8');
    expect(field(stdout, 'skipped')).toBe('1');
    expect(stdout.split('\n').some((l) => /^speech\/broken\.wav\s+\S/.test(l))).toBe(true);
  });
});

describe('preview', () => {
  it('writes a PNG whose mask bands match the item frame by frame', async () => {
    const out = join(work, 'item.png');
    const ds = await openOracle();
    ds.setMode(0);
    // The item with the most speech frames makes a telling picture.
    let best = 0;
    let most = -1;
    for (let i = 0; i < ds.length; i++) {
      const n = (await ds.get(i)).masks!.speech!.data.reduce((a, b) => a + b, 0);
      if (n > most && n < ds.sizes.spgLength) [best, most] = [i, n];
    }
    const { code, stdout } = await run([
      'preview',
      ...datasetFlags,
      '--item',
      String(best),
      '--out',
      'item.png',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(out);
    const png = PNG.sync.read(readFileSync(out));
    const frames = ds.sizes.spgLength;
    const nMels = 80;
    expect(png.width).toBe(PREVIEW_MARGIN_LEFT + frames * PREVIEW_FRAME_SCALE + PREVIEW_MARGIN_RIGHT);
    expect(png.height).toBe(
      PREVIEW_TITLE_HEIGHT +
        nMels * PREVIEW_MEL_SCALE +
        2 * (PREVIEW_BAND_GAP + PREVIEW_BAND_HEIGHT) +
        PREVIEW_AXIS_HEIGHT,
    );
    const item = await ds.get(best);
    ['speech', 'noise'].forEach((name, k) => {
      const y =
        PREVIEW_TITLE_HEIGHT +
        nMels * PREVIEW_MEL_SCALE +
        (k + 1) * PREVIEW_BAND_GAP +
        k * PREVIEW_BAND_HEIGHT +
        5;
      const mask = item.masks![name]!.data;
      for (let t = 0; t < frames; t++) {
        const at = 4 * (y * png.width + PREVIEW_MARGIN_LEFT + t * PREVIEW_FRAME_SCALE + 1);
        const want = mask[t] ? PREVIEW_BAND_COLORS[k]! : PREVIEW_BAND_OFF;
        expect([...png.data.subarray(at, at + 3)], `${name} frame ${t}`).toEqual([...want]);
      }
    });
    expect(most).toBeGreaterThan(0);
  });
});

describe('preview generates only what the item needs', () => {
  const npyCount = (dir: string) =>
    (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.npy')).length;
  const fresh = (name: string) => {
    const dir = join(work, name);
    return [
      samples,
      '--metadata',
      metadataPath,
      '--cache',
      join(dir, 'cache'),
      '--index',
      join(dir, 'index'),
      '--window-content-ratio',
      '0',
    ];
  };

  it("makes the spectrogram of the item's file only", async () => {
    const flags = fresh('preview-one');
    const { code, stdout } = await run(['preview', ...flags, '--item', '0', '--out', 'one.png']);
    expect(code).toBe(0);
    expect(stdout).toContain('one.png');
    expect(npyCount(join(work, 'preview-one', 'cache'))).toBe(1);
    // build afterwards makes the other seven and counts the one preview made as cached.
    const built = await run(['build', ...flags]);
    expect(built.code).toBe(0);
    expect(field(built.stdout, 'spectrograms')).toBe('7 generated, 1 already cached, 0 repaired');
  });

  it('checks --item against the split before generating anything', async () => {
    const flags = fresh('preview-range');
    const { code, stderr } = await run(['preview', ...flags, '--item', '100000', '--out', 'x.png']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--item 100000 is out of range: train has \d+ items \(0\.\.\d+\)/);
    const made = join(work, 'preview-range', 'cache');
    expect(() => npyCount(made)).toThrow(); // the cache folder was never even created
  });
});

describe('build repairs damaged entries', () => {
  it('finds a truncated and a corrupted entry, regenerates them byte for byte and counts them as repaired', async () => {
    const dir = join(work, 'repair');
    const flags = [
      samples,
      '--metadata',
      metadataPath,
      '--cache',
      join(dir, 'cache'),
      '--index',
      join(dir, 'index'),
    ];
    const first = await run(['build', ...flags]);
    expect(first.code).toBe(0);
    const entries = (readdirSync(join(dir, 'cache'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.npy'))
      .sort();
    const good = new Map(entries.map((f) => [f, readFileSync(join(dir, 'cache', f))]));
    // A power loss can leave an entry short; a bad disk block can damage its header.
    const [short, broken] = entries;
    writeFileSync(join(dir, 'cache', short!), good.get(short!)!.subarray(0, 1000));
    const damaged = Buffer.from(good.get(broken!)!);
    damaged.write('NOTNUMPY', 0, 'latin1');
    writeFileSync(join(dir, 'cache', broken!), damaged);
    const second = await run(['build', ...flags]);
    expect(second.code).toBe(0);
    expect(field(second.stdout, 'spectrograms')).toBe(
      `2 generated, ${entries.length - 2} already cached, 2 repaired`,
    );
    expect(second.stderr).toContain('repairing it');
    for (const [f, bytes] of good) expect(readFileSync(join(dir, 'cache', f)).equals(bytes), f).toBe(true);
    const third = await run(['build', ...flags]);
    expect(field(third.stdout, 'spectrograms')).toBe(
      `0 generated, ${entries.length} already cached, 0 repaired`,
    );
  });
});

describe('errors', () => {
  it('a missing audioRoot exits 1 and names it', async () => {
    const { code, stderr } = await run([
      'inspect',
      join(work, 'no-such-folder'),
      '--cache',
      cache,
      '--index',
      index,
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('no-such-folder');
  });

  it('a mask that metadata.json lacks exits 1 naming the field', async () => {
    const { code, stderr } = await run(['inspect', ...datasetFlags, '--masks', 'music']);
    expect(code).toBe(1);
    expect(stderr).toContain('music');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('the built executable exits 1 on a bad number, naming the flag', async () => {
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const result = await promisify(execFile)(process.execPath, [
      cli,
      'build',
      ...datasetFlags,
      '--n-mels',
      'x',
    ]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--n-mels');
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetReport, Item, OutputConfiguration } from '@spgdataset/core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../src/cli/cli-context';
import { gatherFacts } from '../src/cli/dataset-facts';
import { formatBuildSummary, formatInspect } from '../src/cli/format-report';
import { formatBytes, formatDuration, formatTable } from '../src/cli/format-table';
import type { InspectableDataset } from '../src/cli/inspectable-dataset';
import { PREVIEW_BAND_COLORS, PREVIEW_BAND_OFF, previewLayout } from '../src/cli/preview-layout';
import { runCliWith } from '../src/cli/run-cli-with';

const SPG = 4;
/** Items per split part as [label, speech mask]; split 0 = train, 1 = validate. */
const PARTS: [number, number[]][][] = [
  [
    [0, [1, 1, 0, 0]],
    [1, [0, 0, 0, 0]],
    [0, [1, 1, 1, 1]],
  ],
  [[1, [0, 1, 0, 0]]],
];

/** A dataset of 4 items in 2 split parts, 2 classes, one mask, 4 frames per item. */
class FakeDataset implements InspectableDataset {
  mode = 0;
  fraction = 1;
  readonly classes = ['f', 'm'];
  readonly outputConfiguration: OutputConfiguration = {
    audio: false,
    spectrogram: true,
    masks: ['speech'],
    meta: [],
    label: 'gender',
  };
  readonly sizes = {
    sampleRate: 16000,
    hopLength: 160,
    spgFps: 100,
    windowSize: 640,
    windowOffset: 320,
    spgLength: SPG,
    spgOffset: 2,
  };
  readonly indexFingerprint = 'fake';
  get length() {
    return PARTS[this.mode]!.length;
  }
  setMode(mode: number, fraction = 1) {
    if (!(mode in PARTS)) throw new RangeError(`no split part ${mode}`);
    this.mode = mode;
    this.fraction = fraction;
  }
  async get(i: number): Promise<Item> {
    const [label, speech] = PARTS[this.mode]![i]!;
    return {
      label,
      masks: { speech: { data: Float32Array.from(speech), shape: [SPG] } },
      spectrogram: { data: Float32Array.from({ length: 2 * SPG }, (_, k) => k), shape: [2, SPG] },
    };
  }
  locate(i: number) {
    return { path: `speech/file${this.mode}.wav`, window: i, startSample: i * 320, contentRatio: 0.5 };
  }
  report(): DatasetReport {
    return {
      files: 3,
      items: 4,
      classes: [...this.classes],
      splitItems: [3, 1],
      mode: this.mode,
      fraction: this.fraction,
      modeItems: this.length,
      skipped: [{ path: 'bad.wav', reason: 'cannot decode' }],
      nonAudio: ['README.txt'],
      warnings: [],
      indexReused: false,
      cache: 'cache-fs/npy',
      indexFingerprint: 'fake',
      featureFingerprint: 'fake',
      extractor: 'fake/log-mel',
      spectrograms: { generated: 2, cached: 1, regenerated: 0, lengthsMeasured: 0 },
      memoryBytes: 0,
    };
  }
}

describe('gatherFacts', () => {
  it('counts classes per split and mask frames over all kept windows, and restores the mode', async () => {
    const ds = new FakeDataset();
    ds.setMode(1);
    const facts = await gatherFacts(ds, 12);
    expect(ds.mode).toBe(1);
    expect(facts.splits).toEqual([
      { name: 'train', items: 3 },
      { name: 'validate', items: 1 },
    ]);
    expect(facts.classes).toEqual([
      { name: 'f', perSplit: [2, 0], total: 2 },
      { name: 'm', perSplit: [1, 1], total: 2 },
    ]);
    // 2 + 0 + 4 + 1 = 7 frames set of 4 items x 4 frames.
    expect(facts.masks).toEqual([{ name: 'speech', framesSet: 7, frames: 16, coverage: 7 / 16 }]);
    expect(facts.skipped).toEqual([{ path: 'bad.wav', reason: 'cannot decode' }]);
  });
});

describe('formatting', () => {
  it('aligns tables, numbers to the right', () => {
    expect(
      formatTable(
        ['class', 'count'],
        [
          ['f', '2'],
          ['male', '10'],
        ],
      ),
    ).toBe('class  count\nf          2\nmale      10');
  });

  it('formats durations and sizes', () => {
    expect(formatDuration(30)).toBe('0.008333 h (30.0 s)');
    expect(formatDuration(undefined)).toBe('unknown');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
  });

  it('prints the inspect tables', async () => {
    const text = formatInspect(await gatherFacts(new FakeDataset(), 36));
    const lines = text.split('\n');
    expect(lines).toContain('files      3');
    expect(lines).toContain('audio      0.01 h (36.0 s)');
    expect(lines).toContain('windows    4');
    expect(lines.some((l) => /^f\s+2\s+0\s+2$/.test(l))).toBe(true);
    expect(lines.some((l) => /^m\s+1\s+1\s+2$/.test(l))).toBe(true);
    expect(lines.some((l) => /^speech\s+43\.8%\s+7\s+16$/.test(l))).toBe(true);
    expect(lines.some((l) => /^bad\.wav\s+cannot decode$/.test(l))).toBe(true);
  });

  it('prints the build summary', () => {
    const text = formatBuildSummary({
      files: 8,
      skipped: 0,
      audioSeconds: 36,
      splits: [
        { name: 'train', items: 30 },
        { name: 'validate', items: 5 },
        { name: 'test', items: 4 },
      ],
      cache: { bytes: 2_500_000, root: '/c' },
      wallSeconds: 4,
      spectrograms: { generated: 8, cached: 0, regenerated: 0, lengthsMeasured: 1 },
      extractor: 'dsp-wasm/log-mel',
    });
    expect(text).toContain('extractor     dsp-wasm/log-mel\n');
    expect(text).toContain('files         8\n');
    expect(text).toContain('windows       train 30, validate 5, test 4 (39 total)\n');
    expect(text).toContain('cache         2.5 MB on disk in /c\n');
    expect(text).toContain('time          4.00 s, 9.0x real time\n');
  });
});

describe('commands on a stand-in dataset', () => {
  const run = async (argv: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'spg-cli-fake-'));
    let stdout = '';
    let stderr = '';
    const ctx: CliContext = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      cwd: dir,
      now: () => 0,
      open: async () => new FakeDataset(),
    };
    const code = await runCliWith([argv[0]!, dir, '--cache', 'c', '--index', 'i', ...argv.slice(1)], ctx);
    return { code, stdout, stderr, dir };
  };

  it('preview draws the item of the chosen mode with its mask band', async () => {
    const { code, stdout, dir } = await run([
      'preview',
      '--mode',
      'validate',
      '--item',
      '0',
      '--out',
      'p.png',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('p.png');
    const png = PNG.sync.read(readFileSync(join(dir, 'p.png')));
    const layout = previewLayout(SPG, 2, 1);
    expect([png.width, png.height]).toEqual([layout.width, layout.height]);
    const band = layout.bands[0]!;
    const colors = [0, 1, 2, 3].map((t) => {
      const at = 4 * ((band.y + 1) * png.width + band.x + t * (band.width / SPG) + 1);
      return [...png.data.subarray(at, at + 3)];
    });
    expect(colors).toEqual([
      [...PREVIEW_BAND_OFF],
      [...PREVIEW_BAND_COLORS[0]],
      [...PREVIEW_BAND_OFF],
      [...PREVIEW_BAND_OFF],
    ]);
  });

  it('preview rejects an item out of range with exit 1 naming --item', async () => {
    const { code, stderr } = await run(['preview', '--item', '3', '--out', 'p.png']);
    expect(code).toBe(1);
    expect(stderr).toContain('--item 3 is out of range: train has 3 items (0..2)');
  });
});

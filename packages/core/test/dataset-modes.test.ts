import { describe, expect, it } from 'vitest';
import { openDataset } from '../src/dataset/open-dataset';
import type { SpectrogramDataset } from '../src/dataset/spectrogram-dataset';
import { SpgConfigError } from '../src/index';
import { collectingLogger, encodeRaw, fakeSource, metadataInput, testParts } from './dataset-fakes';

// 24 files of 3 windows each (8000 samples: floor((8000-5120)/1600)+1 = 2... use 8320 -> 3), 6 speakers
const paths = Array.from({ length: 24 }, (_, i) => `spk${i % 6}/f${String(i).padStart(2, '0')}.wav`);
const source = fakeSource(Object.fromEntries(paths.map((p) => [p, encodeRaw(new Float32Array(8320))])));
const metadata = Object.fromEntries(
  paths.map((p, i) => [p, { length: 8320, metadata: { speaker: `s${i % 6}` } }]),
);

function open(split: number[], splitBy = 'file', seed = 0) {
  return openDataset(
    testParts({
      source,
      metadata: metadataInput(metadata),
      output: { audio: false, spectrogram: false, masks: [], meta: [], label: null },
      split: { split, seed, splitBy },
    }),
  );
}

function listing(ds: SpectrogramDataset): string[] {
  return Array.from({ length: ds.length }, (_, i) => {
    const l = ds.locate(i);
    return `${l.path}#${l.window}`;
  });
}

function modes(ds: SpectrogramDataset, count: number): string[][] {
  return Array.from({ length: count }, (_, k) => {
    ds.setMode(k);
    return listing(ds);
  });
}

describe('splits and modes through the dataset (docs/behaviour.md#splits)', () => {
  it('split [1] lists every window in file order', async () => {
    const ds = await open([1]);
    expect(ds.length).toBe(72);
    expect(listing(ds).slice(0, 4)).toEqual([
      'spk0/f00.wav#0',
      'spk0/f00.wav#1',
      'spk0/f00.wav#2',
      'spk0/f06.wav#0',
    ]);
  });

  it('file grouping: no file in two splits, every window in one, order kept within a mode', async () => {
    const ds = await open([0.5, 0.25, 0.25]);
    const parts = modes(ds, 3);
    const all = parts.flat();
    expect(new Set(all).size).toBe(72);
    const filesOf = parts.map((p) => new Set(p.map((x) => x.split('#')[0])));
    for (let a = 0; a < 3; a++)
      for (let b = a + 1; b < 3; b++) expect([...filesOf[a]!].filter((f) => filesOf[b]!.has(f))).toEqual([]);
    for (const p of parts) expect(p).toEqual([...p].sort());
    // sizes follow the ratios within one file (3 windows)
    expect(Math.abs(parts[0]!.length - 36)).toBeLessThanOrEqual(3);
  });

  it('splitBy a metadata key keeps each speaker in one split', async () => {
    const ds = await open([0.5, 0.5], 'speaker');
    const parts = modes(ds, 2);
    const speakers = parts.map((p) => new Set(p.map((x) => x.split('/')[0])));
    expect([...speakers[0]!].filter((s) => speakers[1]!.has(s))).toEqual([]);
    expect(speakers[0]!.size + speakers[1]!.size).toBe(6);
  });

  it("splitBy 'window' assigns windows independently (the seed's behaviour)", async () => {
    const ds = await open([0.5, 0.5], 'window');
    const parts = modes(ds, 2);
    expect(parts[0]!.length).toBe(36);
    const filesOf = parts.map((p) => new Set(p.map((x) => x.split('#')[0])));
    expect([...filesOf[0]!].some((f) => filesOf[1]!.has(f))).toBe(true);
  });

  it('is deterministic for a seed and changes with the seed', async () => {
    const a = modes(await open([0.5, 0.5], 'file', 1), 2);
    const b = modes(await open([0.5, 0.5], 'file', 1), 2);
    const c = modes(await open([0.5, 0.5], 'file', 2), 2);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('test() selects split part 2; validate(), valid() and eval() select part 1', async () => {
    const ds = await open([0, 0, 1]);
    expect(ds.train().length).toBe(0);
    expect(ds.test().length).toBe(72);
    expect(ds.mode).toEqual({ mode: 2, fraction: 1 });
    const two = await open([0, 1]);
    expect(two.validate().length).toBe(72);
    expect(two.valid().length).toBe(72);
    expect(two.eval().length).toBe(72);
  });

  it('selecting a mode the split does not have is an SpgConfigError naming it', async () => {
    const ds = await open([0.8, 0.2]);
    let caught: unknown;
    try {
      ds.test();
    } catch (e) {
      caught = e;
    }
    expect(SpgConfigError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toContain('test()');
    expect((caught as Error).message).toContain('[0.8,0.2]');
    expect(() => ds.setMode(5)).toThrow(/setMode\(5\)/);
  });

  it('fraction keeps a deterministic subset of the current mode', async () => {
    const ds = await open([1]);
    const all = listing(ds);
    const half = listing(ds.train(0.5));
    expect(half.length).toBe(36);
    expect(half.every((x) => all.includes(x))).toBe(true);
    expect(listing(ds.train(0.5))).toEqual(half);
    expect(() => ds.train(0)).toThrow(/fraction/);
  });

  it('warns once when a split part stays empty', async () => {
    const logger = collectingLogger();
    const oneFile = fakeSource({ 'x.wav': encodeRaw(new Float32Array(8320)) });
    const ds = await openDataset(
      testParts({ source: oneFile, logger, split: { split: [0.5, 0.5], seed: 0, splitBy: 'file' } }),
    );
    ds.train();
    ds.validate();
    expect(logger.warnings.filter((w) => w.includes('is empty'))).toHaveLength(1);
  });
});

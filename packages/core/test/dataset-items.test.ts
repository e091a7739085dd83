import { describe, expect, it } from 'vitest';
import { openDataset } from '../src/dataset/open-dataset';
import {
  collectingLogger,
  encodeRaw,
  energyExtractor,
  fakeDecoder,
  fakeSource,
  mapCache,
  metadataInput,
  testMel,
  testParts,
  toneBursts,
} from './dataset-fakes';

// Windows: 5120 samples (32 frames) every 1600 samples (10 frames), hop 160.
const files = {
  // bursts at hop-aligned and unaligned bounds
  'b/two.wav': {
    length: 24000,
    bursts: [
      [3200, 8000],
      [12037, 19237],
    ] as [number, number][],
  },
  'a/one.wav': { length: 12000, bursts: [[800, 9600]] as [number, number][] },
  // shorter than a window: one window, padded at the end
  'c/short.wav': { length: 4000, bursts: [[1000, 3000]] as [number, number][] },
};

function dataset(extra: Record<string, unknown> = {}) {
  const source = fakeSource(
    Object.fromEntries(Object.entries(files).map(([p, f]) => [p, encodeRaw(toneBursts(f.length, f.bursts))])),
  );
  source.files.set('readme.txt', new Uint8Array(3));
  const metadata = Object.fromEntries(
    Object.entries(files).map(([p, f], i) => [
      p,
      {
        length: f.length,
        intervals: { speech: f.bursts, other: [] },
        metadata: { gender: i % 2 ? 'm' : 'f', kind: ['b', 'a', 'c'][i], speaker: `s${i}` },
      },
    ]),
  );
  return {
    source,
    metadata,
    open: (overrides = {}) =>
      openDataset(testParts({ source, metadata: metadataInput(metadata), ...extra, ...overrides })),
  };
}

describe('SpectrogramDataset items', () => {
  it('lists every window in sorted file order, then window order, and locates each', async () => {
    const ds = await dataset().open();
    // one: floor((12000-5120)/1600)+1 = 5; two: floor((24000-5120)/1600)+1 = 12; short: 1
    expect(ds.length).toBe(18);
    const located = Array.from({ length: ds.length }, (_, i) => ds.locate(i));
    expect(located.map((l) => `${l.path}:${l.window}`)).toEqual([
      ...Array.from({ length: 5 }, (_, k) => `a/one.wav:${k}`),
      ...Array.from({ length: 12 }, (_, k) => `b/two.wav:${k}`),
      'c/short.wav:0',
    ]);
    expect(located[6]).toEqual({ path: 'b/two.wav', window: 1, startSample: 1600, contentRatio: 1 });
    expect(ds.report().nonAudio).toEqual(['readme.txt']);
  });

  it('out-of-range and non-integer indices are RangeErrors naming the index', async () => {
    const ds = await dataset().open();
    await expect(ds.get(18)).rejects.toThrow(RangeError);
    await expect(ds.get(-1)).rejects.toThrow(/-1/);
    await expect(ds.get(1.5)).rejects.toThrow(RangeError);
    expect(() => ds.locate(Number.NaN)).toThrow(RangeError);
  });

  it('masks are 1 exactly where the spectrogram frames carry the bursts (no padding shift)', async () => {
    const ds = await dataset({
      output: { audio: false, spectrogram: true, masks: ['speech'], meta: [], label: null },
      windows: { windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 0 },
    }).open();
    expect(ds.length).toBe(18);
    // A frame centred inside a burst carries its full energy: 0.25 * 0.5 * sum(hann^2) = 0.125 * 150.
    const full = 0.125 * 150;
    let onFrames = 0;
    for (let i = 0; i < ds.length; i++) {
      const item = await ds.get(i);
      const spg = item.spectrogram!;
      const mask = item.masks!.speech!;
      expect(spg.shape).toEqual([4, 32]);
      expect(mask.shape).toEqual([32]);
      for (let t = 0; t < 32; t++) {
        const energy = 10 ** spg.data[t]!;
        const where = `${ds.locate(i).path} window ${ds.locate(i).window} frame ${t}`;
        if (mask.data[t] === 1) {
          onFrames++;
          // >= 0.2: an unaligned start a rounds down to floor(a / hop), whose frame holds ~27% of the burst
          expect(energy, where).toBeGreaterThan(0.2 * full);
        } else {
          expect(energy, where).toBeLessThan(0.7 * full);
        }
      }
    }
    expect(onFrames).toBeGreaterThan(100);
  });

  it('a shifted mask would fail: the frame before each burst is silent and the first burst frame is not', async () => {
    const ds = await dataset({
      output: { audio: false, spectrogram: true, masks: ['speech'], meta: [], label: null },
    }).open();
    // a/one.wav window 0: burst [800, 9600) -> frames 5..59; frame 4 (centre 640, reaches 840) is almost silent
    const item = await ds.get(0);
    expect(10 ** item.spectrogram!.data[3]!).toBeLessThan(1e-6);
    expect(10 ** item.spectrogram!.data[5]!).toBeGreaterThan(5);
    expect(item.masks!.speech!.data[4]).toBe(0);
    expect(item.masks!.speech!.data[5]).toBe(1);
  });

  it('spectrogram columns are the file spectrogram at k * spgOffset', async () => {
    const { source } = dataset();
    const ds = await dataset().open();
    const extractor = energyExtractor(testMel);
    const decoded = await fakeDecoder().decode(await source.read('b/two.wav'), { path: 'b/two.wav' });
    // padded to 5120 + ceil((24000 - 5120) / 1600) * 1600 = 24320 samples (zeros at the END)
    const padded = new Float32Array(24320);
    padded.set(decoded.channelData[0]!);
    const whole = extractor.extract(padded);
    expect(whole.shape).toEqual([4, 152]);
    const item = await ds.get(5 + 11); // b/two.wav window 11, frames 110..141
    for (let m = 0; m < 4; m++)
      for (let t = 0; t < 32; t++)
        expect(item.spectrogram!.data[m * 32 + t]).toBe(whole.data[m * 152 + 110 + t]);
  });

  it('audio is the window of the waveform, zero-padded, and decoded lazily', async () => {
    const decoder = fakeDecoder();
    const d = dataset();
    const ds = await d.open({
      decoder,
      output: { audio: true, spectrogram: false, masks: [], meta: [], label: null },
    });
    expect(decoder.calls).toBe(0);
    const item = await ds.get(17); // c/short.wav: 4000 samples + 1120 zeros
    expect(item.spectrogram).toBeUndefined();
    expect(item.audio!.shape).toEqual([5120]);
    const wave = toneBursts(4000, files['c/short.wav'].bursts);
    expect([...item.audio!.data.subarray(0, 4000)]).toEqual([...wave]);
    expect(item.audio!.data.subarray(4000).every((x) => x === 0)).toBe(true);
    expect(decoder.calls).toBe(1);
    await ds.get(16);
    await ds.get(15);
    expect(decoder.calls).toBe(2);
    const located = ds.locate(15);
    const two = toneBursts(24000, files['b/two.wav'].bursts);
    expect([...(await ds.get(15)).audio!.data]).toEqual([
      ...two.subarray(located.startSample, located.startSample + 5120),
    ]);
  });

  it('labels enumerate sorted classes; meta leaves out the label field', async () => {
    const ds = await dataset({
      output: { audio: false, spectrogram: false, masks: [], meta: ['gender', 'kind'], label: 'kind' },
    }).open();
    expect(ds.classes).toEqual(['a', 'b', 'c']);
    const first = await ds.get(0); // a/one.wav, kind 'a'
    expect(first).toEqual({ label: 0, meta: { gender: 'm' } });
    expect((await ds.get(17)).label).toBe(2);
  });

  it('getRelabeled gives the item with its label mapped, and rejects a map of the wrong length', async () => {
    const ds = await dataset({
      windows: { windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 0 },
      output: { audio: false, spectrogram: true, masks: ['speech'], meta: ['gender'], label: 'kind' },
    }).open();
    const map = Int32Array.from([7, 5, 9]); // classes a, b, c
    const expected: Record<string, number> = { 'a/one.wav': 7, 'b/two.wav': 5, 'c/short.wav': 9 };
    const seen = new Set<number>();
    for (let index = 0; index < ds.length; index++) {
      const { label: own, ...rest } = await ds.get(index);
      const { label, ...relabeledRest } = await ds.getRelabeled(index, map);
      expect(label).toBe(expected[ds.locate(index).path]);
      expect(map[own!]).toBe(label);
      expect(relabeledRest).toEqual(rest);
      seen.add(label!);
    }
    expect([...seen].sort()).toEqual([5, 7, 9]);
    // Two maps in turn (a dataset in two routers): each call follows its own map.
    const other = Int32Array.from([1, 2, 3]);
    for (let index = 0; index < ds.length; index++) {
      const own = (await ds.get(index)).label!;
      expect((await ds.getRelabeled(index, other)).label).toBe(other[own]);
      expect((await ds.getRelabeled(index, map)).label).toBe(map[own]);
    }
    await expect(ds.getRelabeled(0, new Int32Array(2))).rejects.toThrow(
      'label map has 2 entries; this dataset has 3 classes',
    );
    await expect(ds.getRelabeled(ds.length, map)).rejects.toThrow(RangeError);
  });

  it('content ratio keeps only windows with enough of the requested masks', async () => {
    const ds = await dataset({
      output: { audio: false, spectrogram: false, masks: ['speech', 'other'], meta: [], label: null },
      windows: { windowSizeSec: 0.32, windowOffsetSec: 0.1, windowContentRatio: 0.9 },
    }).open();
    // a/one.wav: burst [800, 9600); windows [k*1600, k*1600+5120) covered >= 4608 samples: k = 1, 2, 3
    const kept = Array.from({ length: ds.length }, (_, i) => ds.locate(i)).filter(
      (l) => l.path === 'a/one.wav',
    );
    expect(kept.map((l) => l.window)).toEqual([1, 2, 3]);
    expect(kept[0]!.contentRatio).toBe(1);
  });

  it('warns once per problem: a file without kept windows, a mask without intervals', async () => {
    const logger = collectingLogger();
    const ds = await dataset({
      logger,
      output: { audio: false, spectrogram: false, masks: ['other'], meta: [], label: null },
    }).open();
    expect(ds.length).toBe(0);
    expect(logger.warnings.filter((w) => w.includes('no window with content ratio'))).toHaveLength(1);
    expect(logger.warnings.find((w) => w.includes('no window'))).toContain('a/one.wav');
    expect(logger.warnings.filter((w) => w.includes('mask "other"'))).toHaveLength(1);
  });

  it('reports generation progress up to done = total', async () => {
    const events: { phase: string; done: number; total: number | undefined }[] = [];
    await dataset({
      cache: mapCache(),
      onProgress: (e: { phase: string; done: number; total: number | undefined }) => events.push(e),
    }).open();
    const generate = events.filter((e) => e.phase === 'generate');
    expect(generate.at(-1)).toMatchObject({ done: 3, total: 3 });
    expect(events.filter((e) => e.phase === 'index').at(-1)).toMatchObject({ done: 3, total: 3 });
  });
});

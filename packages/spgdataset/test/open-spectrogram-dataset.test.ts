import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsMelExtractor } from '@spgdataset/dsp-js';
import { afterAll, describe, expect, it } from 'vitest';
import { openSpectrogramDataset, SpectrogramDataset, SpgConfigError } from '../src/index';

/** 16-bit PCM mono WAV. */
function wav(samples: Float32Array, sampleRate = 16000): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const v = new DataView(out.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  text(0, 'RIFF');
  v.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, samples.length * 2, true);
  samples.forEach((x, i) => {
    v.setInt16(44 + i * 2, Math.round(Math.max(-1, Math.min(1, x)) * 32767), true);
  });
  return out;
}

function bursts(length: number, intervals: [number, number][]): Float32Array {
  const x = new Float32Array(length);
  for (const [a, b] of intervals)
    for (let i = a; i < b; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000);
  return x;
}

const root = mkdtempSync(join(tmpdir(), 'spgdataset-open-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files: Record<string, { length: number; speech: [number, number][]; gender: string; kind: string }> = {
  'spk1/a.wav': {
    length: 24000,
    speech: [
      [3200, 8000],
      [12037, 19237],
    ],
    gender: 'f',
    kind: 'speech',
  },
  'spk2/b.wav': { length: 16000, speech: [[800, 9600]], gender: 'm', kind: 'speech' },
  'noise/c.wav': { length: 9000, speech: [[0, 4500]], gender: 'none', kind: 'noise' },
};
const audioRoot = join(root, 'audio');
for (const [path, f] of Object.entries(files)) {
  mkdirSync(join(audioRoot, path, '..'), { recursive: true });
  writeFileSync(join(audioRoot, path), wav(bursts(f.length, f.speech)));
}
const metadataJsonPath = join(root, 'metadata.json');
writeFileSync(
  metadataJsonPath,
  JSON.stringify(
    Object.fromEntries(
      Object.entries(files).map(([p, f]) => [
        p,
        { length: f.length, intervals: { speech: f.speech }, metadata: { gender: f.gender, kind: f.kind } },
      ]),
    ),
  ),
);

const small = {
  audioRoot,
  spectrogramsRoot: join(root, 'spectrograms'),
  indexRoot: join(root, 'index'),
  metadataJsonPath,
  windowSizeSec: 0.32,
  windowOffsetSec: 0.1,
  windowContentRatio: 0,
  extractor: 'js' as const,
  logger: { info: () => {}, warn: () => {} },
};

describe('openSpectrogramDataset', () => {
  it("uses the seed's defaults (docs/behaviour.md#options, #sizes)", async () => {
    const ds = await openSpectrogramDataset({
      ...small,
      windowSizeSec: undefined,
      windowOffsetSec: undefined,
    });
    expect(ds).toBeInstanceOf(SpectrogramDataset);
    expect(ds.sizes).toMatchObject({ windowSize: 30720, windowOffset: 1600, spgLength: 192, spgOffset: 10 });
    expect(ds.outputConfiguration).toEqual({
      audio: false,
      spectrogram: true,
      masks: [],
      meta: [],
      label: null,
    });
    const item = await ds.get(0);
    expect(item.spectrogram!.shape).toEqual([80, 192]);
  });

  it.each(['js', 'wasm'] as const)(
    'masks are 1 exactly where the real log-mel frames carry the bursts (%s)',
    async (extractor) => {
      const ds = await openSpectrogramDataset({
        ...small,
        extractor,
        spectrogramsRoot: join(root, `spg-${extractor}`),
        normalize: false,
        outputConfiguration: { masks: ['speech'], meta: ['gender', 'kind'], label: 'kind' },
      });
      expect(ds.classes).toEqual(['noise', 'speech']);
      expect(ds.report().extractor).toBe(`dsp-${extractor}/log-mel`);
      // S = (log10(mel) + 4) / 4 without normalisation, so mel power = 10 ** (4 S - 4)
      const power = (spg: Float32Array, t: number) => {
        let p = 0;
        for (let m = 0; m < 80; m++) p += 10 ** (4 * spg[m * 32 + t]! - 4);
        return p;
      };
      let full = 0;
      const items = [];
      for (let i = 0; i < ds.length; i++) items.push(await ds.get(i));
      for (const item of items)
        for (let t = 0; t < 32; t++) full = Math.max(full, power(item.spectrogram!.data, t));
      let on = 0;
      items.forEach((item, i) => {
        expect(item.meta).toEqual({ gender: files[ds.locate(i).path]!.gender });
        expect(ds.classes[item.label!]).toBe(files[ds.locate(i).path]!.kind);
        for (let t = 0; t < 32; t++) {
          const p = power(item.spectrogram!.data, t);
          const where = `${ds.locate(i).path} window ${ds.locate(i).window} frame ${t}`;
          if (item.masks!.speech!.data[t] === 1) {
            on++;
            expect(p, where).toBeGreaterThan(0.2 * full);
          } else expect(p, where).toBeLessThan(0.7 * full);
        }
      });
      expect(on).toBeGreaterThan(150);
    },
  );

  it('reopening unchanged recomputes nothing; a changed nMels recomputes every file', async () => {
    const opts = {
      ...small,
      spectrogramsRoot: join(root, 'spg-reopen'),
      indexRoot: join(root, 'index-reopen'),
    };
    const first = await openSpectrogramDataset(opts);
    expect(first.report().spectrograms.generated).toBe(3);
    const again = await openSpectrogramDataset(opts);
    expect(again.report()).toMatchObject({ indexReused: true, spectrograms: { generated: 0, cached: 3 } });
    const changed = await openSpectrogramDataset({ ...opts, nMels: 64 });
    expect(changed.report().spectrograms.generated).toBe(3);
    expect((await changed.get(0)).spectrogram!.shape).toEqual([64, 32]);
  });

  it('bad options are one SpgConfigError naming each option', async () => {
    let caught: unknown;
    try {
      await openSpectrogramDataset({
        ...small,
        audioRoot: '',
        dtype: 'float64' as 'float32',
        outputConfiguration: { masks: 'speech' as unknown as string[], colour: true } as never,
      });
    } catch (e) {
      caught = e;
    }
    expect(SpgConfigError.isInstance(caught)).toBe(true);
    const paths = (caught as SpgConfigError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'audioRoot',
        'dtype',
        'outputConfiguration.masks',
        'outputConfiguration.colour',
      ]),
    );
  });

  it('an extractor instance rules the mel parameters; a conflicting option is named', async () => {
    const extractor = jsMelExtractor({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 40 });
    const ds = await openSpectrogramDataset({
      ...small,
      extractor,
      spectrogramsRoot: join(root, 'spg-instance'),
    });
    expect((await ds.get(0)).spectrogram!.shape).toEqual([40, 32]);
    await expect(openSpectrogramDataset({ ...small, extractor, nMels: 80 })).rejects.toThrow(
      /nMels: is 80 but the given extractor dsp-js\/log-mel uses 40/,
    );
  });

  it('output configuration keys and types are checked', async () => {
    await expect(
      openSpectrogramDataset({ ...small, outputConfiguration: { masks: 'speech' } as never }),
    ).rejects.toThrow(/outputConfiguration\.masks/);
    await expect(
      openSpectrogramDataset({ ...small, outputConfiguration: { colour: 1 } as never }),
    ).rejects.toThrow(/outputConfiguration\.colour/);
  });
});

describe('changeToken', () => {
  it("'size' gives copies of the audio with other mtimes the same index and cache entries", async () => {
    const copy = join(root, 'audio-copy');
    cpSync(audioRoot, copy, { recursive: true });
    for (const path of Object.keys(files))
      utimesSync(join(copy, path), new Date(2001, 0, 1), new Date(2001, 0, 1));
    const open = (audio: string, changeToken: 'mtime' | 'size', name: string) =>
      openSpectrogramDataset({
        ...small,
        audioRoot: audio,
        spectrogramsRoot: join(root, `spg-${name}`),
        indexRoot: join(root, `index-${name}`),
        changeToken,
      });
    const entries = (name: string) =>
      (readdirSync(join(root, `spg-${name}`), { recursive: true }) as string[]).sort();
    const [a, b] = [await open(audioRoot, 'size', 'size-a'), await open(copy, 'size', 'size-b')];
    expect(b.indexFingerprint).toBe(a.indexFingerprint);
    expect(entries('size-b')).toEqual(entries('size-a'));
    const [c, d] = [await open(audioRoot, 'mtime', 'mtime-a'), await open(copy, 'mtime', 'mtime-b')];
    expect(d.indexFingerprint).not.toBe(c.indexFingerprint);
    expect(entries('mtime-b')).not.toEqual(entries('mtime-a'));
  });

  it('an unknown mode is an SpgConfigError naming changeToken', async () => {
    const error = await openSpectrogramDataset({ ...small, changeToken: 'inode' as never }).catch(
      (e: unknown) => e,
    );
    expect(SpgConfigError.isInstance(error)).toBe(true);
    expect((error as SpgConfigError).issues.map((i) => i.path)).toEqual(['changeToken']);
  });
});

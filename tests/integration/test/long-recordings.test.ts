// Long recordings: windows of long entries are read alone (readWindow) and equal whole reads; a build
// SIGKILLed in the middle of a long file's entry leaves no entry, and the rerun writes it whole, equal
// to an uninterrupted build. The child imports the built `spgdataset`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fsCache } from '@spgdataset/cache-fs';
import type { CacheKey, SpectrogramCache, Tensor } from '@spgdataset/core';
import { openSpectrogramDataset } from 'spgdataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chirpWav } from '../../../scripts/test-wav.mjs';

const RATE = 16000;
const here = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'spg-long-'));
// Inside tests/integration so the child resolves `spgdataset` through this package's node_modules.
const childDir = mkdtempSync(join(here, 'node_modules', '.spg-long-child-'));
const childScript = join(childDir, 'child.mjs');
const quiet = { info: () => {}, warn: () => {} };

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(childDir, { recursive: true, force: true });
});

/** Audio path -> .npy bytes (the key variant in the file name hashes each copy's mtime). */
function npyFiles(root: string): Map<string, Buffer> {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.npy'));
  return new Map(
    files.sort().map((f) => [f.replace(/\.[0-9a-f]{16}\.npy$/, ''), readFileSync(join(root, f))]),
  );
}

/** Every file under `root` (relative paths). */
function allFiles(root: string): string[] {
  try {
    return readdirSync(root, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
}

describe('window reads of long entries', () => {
  const root = join(scratch, 'windows');
  const seconds = { 'a-long.wav': 50, 'b-short.wav': 3, 'c-long.wav': 37 };

  beforeAll(() => {
    mkdirSync(join(root, 'audio'), { recursive: true });
    for (const [name, s] of Object.entries(seconds))
      writeFileSync(join(root, 'audio', name), chirpWav(s, RATE, s));
  });

  /** An fs cache that counts `get` and `readWindow` calls per entry. */
  function countingFsCache() {
    const inner = fsCache({ root: join(root, 'spg') });
    const calls = { get: 0, readWindow: 0 };
    const cache: SpectrogramCache = {
      ...inner,
      get: (key: CacheKey) => {
        calls.get++;
        return inner.get(key);
      },
      readWindow: (key: CacheKey, first: number, count: number, into?: Float32Array) => {
        calls.readWindow++;
        return inner.readWindow(key, first, count, into);
      },
    };
    return { cache, calls };
  }

  const open = (cache: SpectrogramCache, maxMemoryCache: number) =>
    openSpectrogramDataset({
      audioRoot: join(root, 'audio'),
      indexRoot: join(root, 'index'),
      cache,
      maxMemoryCache,
      windowSizeSec: 2,
      windowOffsetSec: 1.3,
      logger: quiet,
    });

  it('equal whole-entry reads, item by item and in batches, loading no long entry whole', async () => {
    // Reference: no memory cache, so every entry (under 32 MiB) is read whole.
    const whole = countingFsCache();
    const reference = await open(whole.cache, 0);
    const items: Tensor[] = [];
    for (let i = 0; i < reference.length; i++) items.push((await reference.get(i)).spectrogram!);
    expect(whole.calls.readWindow).toBe(0);
    expect(whole.calls.get).toBe(3);

    // A 1 MiB memory budget: the two long entries (1.6 and 1.2 MB) are read window by window.
    const windowed = countingFsCache();
    const ds = await open(windowed.cache, 1);
    expect(ds.length).toBe(reference.length);
    const order = Array.from({ length: ds.length }, (_, i) => (i * 17) % ds.length);
    for (const i of order) {
      const item = (await ds.get(i)).spectrogram!;
      expect(item.shape).toEqual(items[i]!.shape);
      expect(
        Buffer.from(item.data.buffer, item.data.byteOffset, item.data.byteLength).equals(
          Buffer.from(items[i]!.data.buffer, items[i]!.data.byteOffset, items[i]!.data.byteLength),
        ),
        `item ${i}`,
      ).toBe(true);
    }
    const batch = await ds.getBatch(order.slice(0, 9));
    const [, , nMels, spgLength] = batch.spectrogram!.shape as number[];
    order.slice(0, 9).forEach((i, b) => {
      expect(
        Array.from(batch.spectrogram!.data.subarray(b * nMels! * spgLength!, (b + 1) * nMels! * spgLength!)),
      ).toEqual(Array.from(items[i]!.data));
    });
    // Only the short file was read whole (once: it is then held in memory).
    expect(windowed.calls.get).toBe(1);
    expect(windowed.calls.readWindow).toBeGreaterThan(0);
    await (windowed.cache as unknown as { dispose(): Promise<void> }).dispose();

    // An entry missing when its window is read is generated (streamed into the cache) and read back.
    const again = countingFsCache();
    const reopened = await open(again.cache, 1);
    const entry = readdirSync(join(root, 'spg')).find(
      (f) => f.startsWith('c-long.wav.') && f.endsWith('.npy'),
    )!;
    rmSync(join(root, 'spg', entry));
    for (let i = 0; i < reopened.length; i++) {
      const item = (await reopened.get(i)).spectrogram!;
      expect(Array.from(item.data), `item ${i} after regeneration`).toEqual(Array.from(items[i]!.data));
    }
    expect(reopened.report().spectrograms.generated).toBe(1);
    expect(readdirSync(join(root, 'spg'))).toContain(entry);
    await (again.cache as unknown as { dispose(): Promise<void> }).dispose();
  });
});

describe('audio windows of long files', () => {
  const root = join(scratch, 'audio-windows');
  // 16 kHz read by position; 22.05 kHz decoded and resampled from the start (a cursor follows).
  const files: [string, number, number][] = [
    ['a-long.wav', 40, RATE],
    ['b-short.wav', 3, RATE],
    ['c-resampled.wav', 37, 22050],
  ];

  beforeAll(() => {
    mkdirSync(join(root, 'audio'), { recursive: true });
    for (const [name, s, rate] of files) writeFileSync(join(root, 'audio', name), chirpWav(s, rate, s));
  });

  const open = (maxMemoryCache: number) =>
    openSpectrogramDataset({
      audioRoot: join(root, 'audio'),
      spectrogramsRoot: join(root, 'spg'),
      indexRoot: join(root, 'index'),
      maxMemoryCache,
      windowSizeSec: 2,
      windowOffsetSec: 1.3,
      outputConfiguration: { audio: true },
      logger: quiet,
    });

  it('equal the whole waveform’s windows, in random order and in batches', async () => {
    // No memory budget: every file's waveform is decoded whole.
    const reference = await open(0);
    const audio: Float32Array[] = [];
    for (let i = 0; i < reference.length; i++) audio.push((await reference.get(i)).audio!.data.slice());
    // A 1 MiB budget: the long files' entries (above it) have their audio read window by window.
    const ds = await open(1);
    expect(ds.length).toBe(reference.length);
    const order = Array.from({ length: ds.length }, (_, i) => (i * 17) % ds.length);
    for (const i of [...order, ...order.slice().reverse()]) {
      const got = (await ds.get(i)).audio!.data;
      expect(
        Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(audio[i]!.buffer)),
        `item ${i}`,
      ).toBe(true);
    }
    const batch = await ds.getBatch(order.slice(0, 9));
    const size = audio[0]!.length;
    order.slice(0, 9).forEach((i, b) => {
      expect(Array.from(batch.audio!.data.subarray(b * size, (b + 1) * size))).toEqual(Array.from(audio[i]!));
    });
  });
});

describe('SIGKILL in the middle of a long entry', () => {
  const MINUTES = 12;
  const options = (root: string) => ({
    audioRoot: join(root, 'audio'),
    spectrogramsRoot: join(root, 'spg'),
    indexRoot: join(root, 'index'),
    logger: quiet,
  });
  const corpus = (root: string, audio: Buffer) => {
    mkdirSync(join(root, 'audio'), { recursive: true });
    writeFileSync(join(root, 'audio', 'long.wav'), audio);
  };

  it('leaves no entry; the rerun writes it whole, equal to an uninterrupted build', async () => {
    writeFileSync(
      childScript,
      [
        "import { openSpectrogramDataset } from 'spgdataset';",
        'const options = JSON.parse(process.argv[2]);',
        'options.logger = { info() {}, warn() {} };',
        'await openSpectrogramDataset(options);',
      ].join('\n'),
    );
    const audio = chirpWav(MINUTES * 60, RATE, 7);
    const reference = join(scratch, 'kill-reference');
    corpus(reference, audio);
    await openSpectrogramDataset(options(reference));
    const want = npyFiles(join(reference, 'spg'));
    expect([...want.keys()]).toEqual(['long.wav']);

    const root = join(scratch, 'kill');
    corpus(root, audio);
    // Killed as soon as the entry's temporary file appears: the writer spills to it after 16 MiB of
    // frames (this entry holds 23 MB of float32 values), so about two thirds through the file.
    const killed = await new Promise<{ signal: NodeJS.Signals | null; seen: string[] }>((done) => {
      const child = spawn(process.execPath, [childScript, JSON.stringify(options(root))], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      let seen: string[] = [];
      const poll = setInterval(() => {
        seen = allFiles(join(root, 'spg')).filter((f) => /\.npy\.\d+$/.test(f));
        if (seen.length > 0) {
          clearInterval(poll);
          child.kill('SIGKILL');
        }
      }, 5);
      child.on('exit', (_code, signal) => {
        clearInterval(poll);
        done({ signal, seen });
      });
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.seen.length).toBe(1);
    // No servable entry: only the temporary file.
    expect(allFiles(join(root, 'spg')).filter((f) => f.endsWith('.npy'))).toEqual([]);

    const ds = await openSpectrogramDataset(options(root));
    expect(ds.length).toBeGreaterThan(0);
    const got = npyFiles(join(root, 'spg'));
    expect([...got.keys()]).toEqual(['long.wav']);
    expect(got.get('long.wav')!.length).toBe(want.get('long.wav')!.length);
    expect(got.get('long.wav')!.equals(want.get('long.wav')!)).toBe(true);
  });
});

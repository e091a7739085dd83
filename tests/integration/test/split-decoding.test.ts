// One long file with numWorkers 2: the idle thread decodes pieces of a FLAC (cut between frames)
// while the file's own thread decodes the others and computes, or computes the frames of pieces of a
// PCM WAV at the extractor's rate; the entry is the bytes numWorkers 0 writes. Files above the
// whole-read limit (8 MiB) are read in ranges and cut. A WAV at another rate is not cut (PCM reads
// faster than its samples can be handed over): the idle thread waits.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerThreadsScheduler } from '@spgdataset/core/node';
import { type GenerationTaskResult, openSpectrogramDataset } from 'spgdataset';
import { afterAll, describe, expect, it } from 'vitest';
import { pcm16WavHeader, xorshiftNoise } from '../../../scripts/test-wav.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'spg-split-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stereo 16-bit WAV of `seconds` at `rate`: a chirp left, noise right. */
function stereoWav(path: string, seconds: number, rate = 44100): boolean {
  const n = rate * seconds;
  const wav = Buffer.alloc(44 + 4 * n);
  pcm16WavHeader(n, rate, 2).copy(wav);
  const noise = xorshiftNoise(5);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    wav.writeInt16LE(Math.round(12000 * Math.sin(2 * Math.PI * (200 + 50 * t) * t)), 44 + 4 * i);
    wav.writeInt16LE(Math.round(6000 * noise()), 46 + 4 * i);
  }
  writeFileSync(path, wav);
  return true;
}

/** A 48 kHz stereo FLAC of `seconds` by ffmpeg (a tone left, noise right); false without ffmpeg. */
function stereoFlac(path: string, seconds: number): boolean {
  const run = spawnSync('ffmpeg', [
    ...['-v', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `anoisesrc=r=48000:a=0.05:d=${seconds}`],
    ...['-filter_complex', 'amerge=inputs=2', '-c:a', 'flac', path],
  ]);
  return run.status === 0;
}

async function build(audioRoot: string, name: string, numWorkers: number) {
  const root = join(scratch, name);
  const results: GenerationTaskResult[] = [];
  const threads = workerThreadsScheduler({ numWorkers: 2 });
  const recording = {
    ...threads,
    run: (run: Parameters<typeof threads.run>[0]) =>
      threads.run({
        ...run,
        onResult: (r) => {
          results.push(r);
          run.onResult(r);
        },
      }),
  };
  await openSpectrogramDataset({
    audioRoot,
    spectrogramsRoot: join(root, 'spg'),
    indexRoot: join(root, 'index'),
    numWorkers,
    ...(numWorkers ? { scheduler: recording } : {}),
    logger: { info: () => {}, warn: () => {} },
  });
  const spg = join(root, 'spg');
  const [entry] = readdirSync(spg).filter((f) => f.endsWith('.npy'));
  return { bytes: readFileSync(join(spg, entry!)), results };
}

const formats = [
  ['WAV (44.1 kHz stereo, 60 s)', 'long.wav', (path: string) => stereoWav(path, 60), false],
  ['FLAC (48 kHz stereo, 120 s)', 'long.flac', (path: string) => stereoFlac(path, 120), true],
  // At the extractor's rate: its frames are computed in pieces of a minute on both threads.
  ['WAV (16 kHz stereo, 200 s)', 'long16k.wav', (path: string) => stereoWav(path, 200, 16000), true],
] as const;

describe.each(formats)('%s', (label, file, write, cut) => {
  it('numWorkers 2 writes the bytes numWorkers 0 writes (a FLAC or a WAV at the extractor rate cut for both threads)', async (context) => {
    const audioRoot = join(scratch, `${file}-audio`);
    mkdirSync(audioRoot, { recursive: true });
    if (!write(join(audioRoot, file))) return context.skip(`${label}: ffmpeg could not write it`);
    const inThread = await build(audioRoot, `${file}-0`, 0);
    const pooled = await build(audioRoot, `${file}-2`, 2);
    expect(pooled.results).toHaveLength(1);
    // The second thread decoded (or computed) some of the file's pieces.
    if (cut) expect(pooled.results[0]!.helped).toBeGreaterThan(0);
    else expect(pooled.results[0]!.helped).toBeUndefined();
    expect(pooled.bytes.length).toBe(inThread.bytes.length);
    expect(pooled.bytes.equals(inThread.bytes)).toBe(true);
  });
});

it('a file that fails stops a run whose long FLAC has a helper thread, without waiting for the helper', async (context) => {
  const audioRoot = join(scratch, 'failing-audio');
  mkdirSync(audioRoot, { recursive: true });
  if (!stereoFlac(join(audioRoot, 'long.flac'), 120)) return context.skip('ffmpeg could not write the FLAC');
  writeFileSync(join(audioRoot, 'broken.wav'), Buffer.from('not audio at all, only text'));
  // Two files and three threads: the FLAC's task gets the spare one as its helper.
  const opening = openSpectrogramDataset({
    audioRoot,
    spectrogramsRoot: join(scratch, 'failing', 'spg'),
    indexRoot: join(scratch, 'failing', 'index'),
    numWorkers: 3,
    logger: { info: () => {}, warn: () => {} },
  });
  await expect(opening).rejects.toThrow(/broken\.wav/);
}, 60_000);

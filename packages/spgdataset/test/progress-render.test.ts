import type { ProgressEvent } from '@spgdataset/core';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatProgress } from '../src/progress/format-progress';
import { renderProgress } from '../src/progress/render-progress';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, isTTY, columns: 120, write: (chunk: string) => chunks.push(chunk) };
}

const generate = (done: number, extra: Partial<ProgressEvent> = {}): ProgressEvent => ({
  phase: 'generate',
  done,
  total: 80,
  rate: 4,
  etaSeconds: (80 - done) / 4,
  ...extra,
});

describe('formatProgress', () => {
  it('writes counts, percentage, bytes, rate and ETA in words', () => {
    expect(formatProgress(generate(12, { bytes: 3_200_000 }))).toBe(
      'generate 12/80 files (15.0%), 3.20 MB, 4.0 files/s, ETA 17 s',
    );
    expect(formatProgress({ phase: 'index', done: 7, total: undefined })).toBe('index 7 files');
    expect(formatProgress({ phase: 'preload', done: 5, total: 5, etaSeconds: 0 })).toBe(
      'preload 5/5 entries (100.0%)',
    );
  });

  it('formats sizes and durations', () => {
    expect([12, 320_000, 1_500_000, 45_600_000_000].map(formatBytes)).toEqual([
      '12 B',
      '320 kB',
      '1.50 MB',
      '45.6 GB',
    ]);
    expect([42.4, 185, 7620].map(formatDuration)).toEqual(['42 s', '3 min 05 s', '2 h 07 min']);
  });
});

describe('renderProgress without a TTY', () => {
  it('prints a phase’s first line, then at most one per interval, and always its last', () => {
    const stream = fakeStream(false);
    let clock = 0;
    const onProgress = renderProgress(stream, { intervalSeconds: 2, now: () => clock });
    for (let done = 1; done <= 80; done++) {
      clock = done * 100; // one event every 0.1 s
      onProgress(generate(done));
    }
    // first at 0.1 s, then 2.1, 4.1, 6.1 s, and the last (done = total) at 8.0 s
    expect(stream.chunks.map((line) => line.split(',')[0])).toEqual([
      'generate 1/80 files (1.3%)',
      'generate 21/80 files (26.3%)',
      'generate 41/80 files (51.3%)',
      'generate 61/80 files (76.3%)',
      'generate 80/80 files (100.0%)',
    ]);
    expect(stream.chunks.every((line) => line.endsWith('\n') && !line.includes('\u001b'))).toBe(true);
  });

  it('keeps a separate interval per phase and flushes held-back lines on stop', () => {
    const stream = fakeStream(false);
    let clock = 0;
    const onProgress = renderProgress(stream, { intervalSeconds: 10, now: () => clock });
    onProgress({ phase: 'index', done: 1, total: undefined });
    clock = 1000;
    onProgress({ phase: 'generate', done: 1, total: 3 });
    clock = 2000;
    onProgress({ phase: 'generate', done: 2, total: 3 });
    expect(stream.chunks).toEqual(['index 1 files\n', 'generate 1/3 files (33.3%)\n']);
    onProgress.stop();
    expect(stream.chunks.at(-1)).toBe('generate 2/3 files (66.7%)\n');
  });
});

describe('renderProgress on a TTY', () => {
  it('draws a cli-progress bar per phase with the counts', () => {
    const stream = fakeStream(true);
    const onProgress = renderProgress(stream);
    onProgress({ phase: 'index', done: 3, total: undefined });
    for (let done = 1; done <= 80; done++) onProgress(generate(done));
    onProgress.stop();
    const out = stream.chunks.join('');
    expect(out).toContain('index    [');
    expect(out).toContain('3 files');
    expect(out).toMatch(/generate \[█{30}\] 80\/80 files \(100\.0%\)/);
  });
});

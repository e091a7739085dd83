import { concatFloat32 as concat } from '../codec/concat-float32';
import type { ResamplerStream } from '../contracts/resampler';
import { SpgError } from '../errors/spg-error';
import { check, sameBits, thrown } from './check';
import { RESAMPLER_STREAM_ENDED, RESAMPLER_STREAM_LATENCY, resamplerSuitePairs } from './resampler-bounds';
import type { AddResamplerCase } from './resampler-cases';
import { noise } from './test-signals';

/** Pushes `x` through `stream` in chunks of `size(n, i)` samples, then ends it; all the output. */
function streamAll(
  stream: ResamplerStream,
  x: Float32Array,
  size: (n: number, i: number) => number,
): Float32Array {
  const parts: Float32Array[] = [];
  for (let at = 0, i = 0; at < x.length; i++) {
    const n = Math.min(size(x.length, i), x.length - at);
    parts.push(stream.push(x.subarray(at, at + n)));
    at += n;
  }
  parts.push(stream.end());
  return concat(parts);
}

/**
 * The `stream()` cases: streamed output equals the whole-array output bit for bit for chunks of 1,
 * primes, random sizes and the whole signal; equal rates copy through; use after `end()` throws;
 * output comes as it goes. Not applicable (`noStream` says why) when the resampler has no `stream()`.
 */
export function resamplerStreamCases(add: AddResamplerCase, noStream: string | undefined): void {
  const chunkings: [string, (n: number, i: number) => number][] = [
    ['1 sample', () => 1],
    ['primes', (_, i) => [2, 3, 5, 7, 11, 13, 101, 4099][i % 8]!],
    ['random', (_, i) => 1 + (((i * 2654435761) >>> 0) % 997)],
    ['whole', (n) => Math.max(1, n)],
  ];
  for (const [from, to] of resamplerSuitePairs) {
    add(
      'stream()',
      `${from} -> ${to}: streamed output equals the whole-array output bit for bit`,
      (r) => {
        for (const length of [0, 1, 3, 2000, 9001]) {
          const x = noise(length, length + from);
          const whole = r.resample(x, from, to);
          for (const [label, size] of chunkings) {
            if (label === '1 sample' && length > 2000) continue;
            const streamed = streamAll(r.stream!(from, to), x, size);
            check(sameBits(streamed, whole), `${length} samples in chunks of ${label}`).toBe(true);
          }
        }
      },
      noStream,
    );
  }

  add(
    'stream()',
    'copies chunks through when the rates match, and refuses use after end()',
    async (r) => {
      const x = noise(300, 5);
      const same = r.stream!(16000, 16000);
      check(concat([same.push(x.subarray(0, 100)), same.push(x.subarray(100)), same.end()])).toEqual(x);
      for (const [from, to] of [
        [44100, 16000],
        [16000, 16000],
      ] as const) {
        const stream = r.stream!(from, to);
        stream.push(x);
        stream.end();
        for (const [what, call] of [
          ['push', () => stream.push(x)],
          ['end', () => stream.end()],
        ] as const) {
          const error = await thrown(call);
          const label = `${from} -> ${to}: ${what}() after end()`;
          check(SpgError.isInstance(error), `${label} throws an SpgError, got ${String(error)}`).toBe(true);
          check((error as SpgError).code, label).toBe(RESAMPLER_STREAM_ENDED);
        }
      }
    },
    noStream,
  );

  add(
    'stream()',
    `returns output as it goes (holds back at most ${RESAMPLER_STREAM_LATENCY} s)`,
    (r) => {
      // One minute at 48 kHz in 0.01 s chunks.
      const stream = r.stream!(48000, 16000);
      const chunk = noise(480, 1);
      let total = 0;
      for (let i = 1; i <= 6000; i++) {
        total += stream.push(chunk).length;
        check(160 * i - total, `outputs held back after ${i} chunks`).toBeLessThanOrEqual(
          RESAMPLER_STREAM_LATENCY * 16000,
        );
      }
      total += stream.end().length;
      check(total, 'outputs in all').toBe(6000 * 160);
    },
    noStream,
  );
}

// A long PCM file's frames computed in pieces (this thread and in-thread helpers finishing out of
// order, each piece by a stream of its own started nFft/2 early, the file-wide finish fed by
// `observe`) give the bytes of one stream over the whole file: for pieces of 1 frame up to one piece
// short of the whole, mono and stereo, a file ending inside a piece, and zero padding to an indexed
// length longer than the file spanning several pieces.
import { describe, expect, it } from 'vitest';
import { pcm16WavHeader, xorshiftNoise } from '../../../scripts/test-wav.mjs';
import { sourceByteInput } from '../src/decode/source-byte-input';
import { BlockPool } from '../src/generation/decode-piece';
import { computeFramePiece, cutFramePieces } from '../src/generation/frame-pieces';
import type { PieceHelper } from '../src/generation/piece-blocks';
import {
  audioDecodeDecoder,
  type FeatureStream,
  type GeneratorParts,
  type MelExtractor,
  makeSpectrogram,
  mapSource,
  resolveMelParams,
} from '../src/index';

const params = resolveMelParams({ sampleRate: 16000, nFft: 64, hopLength: 16, nMels: 3 });
const { nFft, hopLength: hop, nMels } = params;
const half = nFft / 2;

/**
 * A streaming test extractor: frame t is the log energy of samples [t*hop - nFft/2, + nFft) (reflect
 * padded at both ends) plus its row, computed as soon as those samples arrived; finish subtracts the
 * largest raw value of the file (output that depends on every frame, as a log-mel's floor does).
 */
function energyStreams(): MelExtractor {
  const stream = (): FeatureStream => {
    let samples: number[] = [];
    let next = 0;
    let max = Number.NEGATIVE_INFINITY;
    let ended = false;
    const frames = (upTo: number, n: number): Float32Array => {
      const count = Math.max(0, upTo - next);
      const out = new Float32Array(count * nMels);
      for (let f = 0; f < count; f++, next++) {
        let e = 0;
        for (let i = 0; i < nFft; i++) {
          let j = next * hop - half + i;
          if (j < 0) j = -j;
          if (j >= n) j = 2 * (n - 1) - j;
          e += samples[j]! ** 2;
        }
        for (let m = 0; m < nMels; m++) {
          const v = Math.fround(Math.log10(Math.max(e, 1e-10)) + m);
          out[f * nMels + m] = v;
          if (v > max) max = v;
        }
      }
      return out;
    };
    return {
      push(x) {
        samples = samples.concat(Array.from(x));
        const n = samples.length;
        // Complete: its last sample arrived (and the start's reflection has what it reads).
        const last = n <= half ? -1 : Math.floor((n - nFft + half) / hop);
        return frames(last + 1, Number.POSITIVE_INFINITY);
      },
      end() {
        ended = true;
        return frames(Math.floor(samples.length / hop), samples.length);
      },
      observe(values) {
        for (const v of values) if (v > max) max = v;
      },
      finish() {
        if (!ended) throw new Error('finish before end');
        const top = max;
        return {
          apply: (values) => {
            for (let i = 0; i < values.length; i++) values[i] = values[i]! - top;
          },
        };
      },
    };
  };
  return {
    kind: 'extractor',
    id: 'test/energy-stream',
    options: { ...params },
    version: 1,
    params,
    features: { rows: nMels, sampleRate: 16000, hopLength: hop },
    fingerprint: () => 'energy-stream',
    frameCount: (n) => Math.floor(n / hop),
    extract: () => {
      throw new Error('streamed only');
    },
    stream,
  };
}

/** A 16-bit WAV of `frames` frames (noise, a different signal per channel). */
function wav(frames: number, channels: number): Uint8Array {
  const noise = xorshiftNoise(frames + channels);
  const bytes = Buffer.alloc(44 + 2 * frames * channels);
  pcm16WavHeader(frames, 16000, channels).copy(bytes);
  for (let i = 0; i < frames * channels; i++) bytes.writeInt16LE(Math.round(20000 * noise()), 44 + 2 * i);
  return new Uint8Array(bytes);
}

/** An in-thread helper computing pieces of frames, each after `delay(i)` ms (pieces finish out of order). */
function inThreadHelper(
  parts: GeneratorParts,
  delay: (i: number) => number,
): PieceHelper & { pieces: number } {
  const pool = new BlockPool();
  const helper = {
    pieces: 0,
    recycle: (block: Float32Array) => pool.give(block),
    decode: () => Promise.reject(new Error('not asked to decode')),
    async frames(
      job: { path: string },
      work: Parameters<NonNullable<PieceHelper['frames']>>[1],
      sink: Parameters<PieceHelper['decode']>[2],
      signal: AbortSignal,
    ) {
      await new Promise((resolve) => setTimeout(resolve, delay(helper.pieces)));
      // Reads of an odd size (997 bytes: not a whole number of frames).
      const input = await sourceByteInput(parts.source, job.path, { readSize: 997 });
      await computeFramePiece(input, parts.extractor, job.path, work.layout, work.piece, pool, sink, signal);
      helper.pieces++;
    },
  };
  return helper;
}

const bits = (data: Float32Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

describe('cutFramePieces', () => {
  it('covers every frame once, starts streams nFft/2 early at hop multiples, ends only the last', () => {
    for (const [frames, per] of [
      [1000, 7],
      [1000, 1],
      [1001, 500],
      [10, 3],
    ] as const) {
      const signal = frames * hop + 5;
      const pieces = cutFramePieces(frames, signal, nFft, hop, per);
      let next = 0;
      for (const [i, piece] of pieces.entries()) {
        expect(piece.first).toBe(next);
        next += piece.count;
        expect(piece.origin % hop).toBe(0);
        expect(piece.first * hop - piece.origin).toBe(
          Math.min(piece.first * hop, Math.ceil(half / hop) * hop),
        );
        expect(piece.last).toBe(i === pieces.length - 1);
        // A piece's stream reads what its last frame needs, inside the signal unless it ends it.
        if (!piece.last)
          expect(piece.end).toBe(Math.max((piece.first + piece.count - 1) * hop - half + nFft, half + 1));
        expect(piece.end).toBeLessThanOrEqual(signal);
      }
      expect(next).toBe(frames);
      expect(pieces.at(-1)!.end).toBe(signal);
    }
  });
});

describe.each([
  ['mono', 1],
  ['stereo', 2],
])('a %s WAV in pieces', (_label, channels) => {
  const frames = 16000 + 37;
  const files = { 'long.wav': wav(frames, channels) };
  const parts: GeneratorParts = {
    source: mapSource(files),
    decoder: audioDecodeDecoder(),
    resampler: {
      kind: 'resampler',
      id: 'test/none',
      options: null,
      resample: () => {
        throw new Error('no resampling');
      },
    },
    extractor: energyStreams(),
    sampleRate: 16000,
    windowSize: 1600,
    windowOffset: 800,
    dtype: 'float32',
  };

  it.each([0, 2 * frames + 5000])(
    'equals one stream, indexed length %i, for every piece size',
    async (length) => {
      const job = { path: 'long.wav', length, size: files['long.wav'].length };
      const whole = (await makeSpectrogram(parts, job)).tensor;
      expect(whole.shape[1]).toBeGreaterThan(1000);
      for (const per of [1, 2, 7, 13, 257, whole.shape[1]! - 3]) {
        const helpers = [
          inThreadHelper(parts, (i) => (i * 7) % 3),
          inThreadHelper(parts, (i) => (i * 5) % 4),
        ];
        const made = await makeSpectrogram({ ...parts, chunks: { framePieces: per } }, { ...job, helpers });
        expect(made.tensor.shape, `pieces of ${per}`).toEqual(whole.shape);
        expect(bits(made.tensor.data).equals(bits(whole.data)), `pieces of ${per}`).toBe(true);
        if (per < 100)
          expect(helpers[0]!.pieces + helpers[1]!.pieces, `helped, pieces of ${per}`).toBeGreaterThan(0);
      }
    },
  );
});

it('a helper that fails before handing over anything leaves its pieces to this thread', async () => {
  const files = { 'long.wav': wav(8000, 1) };
  const parts: GeneratorParts = {
    source: mapSource(files),
    decoder: audioDecodeDecoder(),
    resampler: { kind: 'resampler', id: 'test/none', options: null, resample: (x) => x },
    extractor: energyStreams(),
    sampleRate: 16000,
    windowSize: 1600,
    windowOffset: 800,
    dtype: 'float32',
  };
  const job = { path: 'long.wav', length: 0, size: files['long.wav'].length };
  const whole = (await makeSpectrogram(parts, job)).tensor;
  const failing: PieceHelper = {
    decode: () => Promise.reject(new Error('not asked to decode')),
    frames: () => Promise.reject(new Error('this thread could not start')),
  };
  const made = await makeSpectrogram(
    { ...parts, chunks: { framePieces: 50 } },
    { ...job, helpers: [failing] },
  );
  expect(bits(made.tensor.data).equals(bits(whole.data))).toBe(true);
});

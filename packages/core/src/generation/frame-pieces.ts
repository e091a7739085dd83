import type { ByteInput } from '../contracts/audio-decoder';
import type { FeatureExtractor, FeatureStream } from '../contracts/feature-extractor';
import { paddedLength } from '../dataset/windows';
import { pcmToMono } from '../decode/convert-pcm';
import { CORE_DECODER_ID } from '../decode/core-decoder-id';
import { frameBytes, type PcmLayout } from '../decode/pcm-layout';
import { pcmLayoutAt } from '../decode/pcm-layout-at';
import { readPcmFrames } from '../decode/read-pcm-frames';
import { DEFAULT_READ_BYTES, sourceByteInput } from '../decode/source-byte-input';
import { SpgExtractorError } from '../errors/spg-extractor-error';
import { extractorFrameCount } from '../extractor/extractor-frame-count';
import { BlockPool, type PieceSink, type PieceWorker } from './decode-piece';
import type { FramePiece } from './frame-piece';
import type { GenerationJob, GeneratorParts } from './generator-parts';
import { helperWorker } from './piece-blocks';

/**
 * Frames per piece of a long file computed by several threads: a minute at 100 frames per second
 * (1.9 MB of 80-row frames). Each piece recomputes the `ceil(nFft / 2 / hop)` frames before it (2 of
 * 6000 at nFft 400, hop 160), and a piece's frames are handed over whole.
 */
export const PIECE_FRAMES = 6000;

/** Samples converted and pushed to the stream at a time. */
const PUSH_SAMPLES = 1 << 15;

/**
 * The pieces of `frames` frames of a signal of `signal` samples (padded), `perPiece` frames each; a
 * short last piece joins the one before (a piece's end must stay inside the signal unless it ends it).
 */
export function cutFramePieces(
  frames: number,
  signal: number,
  nFft: number,
  hop: number,
  perPiece = PIECE_FRAMES,
): FramePiece[] {
  const pad = Math.floor(nFft / 2);
  const lead = Math.ceil(pad / hop) * hop;
  const pieces: FramePiece[] = [];
  for (let first = 0; first < frames; ) {
    let count = Math.min(perPiece, frames - first);
    // What its last frame reads (at the start, the reflection reads up to sample nFft / 2).
    let end = Math.max((first + count - 1) * hop - pad + nFft, pad + 1);
    if (frames - first - count < perPiece / 2 || end > signal) {
      count = frames - first;
      end = signal;
    }
    const last = first + count === frames;
    pieces.push({ first, count, origin: Math.max(0, first * hop - lead), end: last ? signal : end, last });
    first += count;
  }
  return pieces;
}

/**
 * Computes one piece of `path` (WAV/AIFF PCM at the extractor's rate, `layout`, read from `input`)
 * with a new stream of `extractor` and hands its raw frames (frame-major, an array of `pool`) to
 * `sink` as one block: what every thread computing pieces of a long file runs. Samples past the
 * file's `layout.frames` are zeros. Stops early when `signal` aborts.
 */
export async function computeFramePiece(
  input: ByteInput,
  extractor: FeatureExtractor,
  path: string,
  layout: PcmLayout,
  piece: FramePiece,
  pool: BlockPool,
  sink: PieceSink,
  signal?: AbortSignal,
): Promise<void> {
  const rows = extractor.features.rows;
  const hop = extractor.features.hopLength;
  const out = pool.take(piece.count * rows);
  // The stream's frame `skip` is the file's frame `first`.
  const skip = (piece.first * hop - piece.origin) / hop;
  let seen = 0;
  const keep = (frames: Float32Array) => {
    const n = frames.length / rows;
    const from = Math.max(seen, skip);
    const to = Math.min(seen + n, skip + piece.count);
    if (to > from) out.set(frames.subarray((from - seen) * rows, (to - seen) * rows), (from - skip) * rows);
    seen += n;
  };
  const stream = extractor.stream!();
  const scratch = pool.take(PUSH_SAMPLES);
  let ended = false;
  try {
    const stride = frameBytes(layout);
    // Whole frames per read (reads of about `readSize` bytes, the input's buffers reused).
    const perRead = Math.max(1, Math.floor((input.readSize ?? DEFAULT_READ_BYTES) / stride));
    const fileEnd = Math.min(piece.end, layout.frames);
    for (let at = piece.origin; at < fileEnd; at += perRead) {
      if (signal?.aborted) return;
      const n = Math.min(perRead, fileEnd - at);
      const bytes = await readPcmFrames((offset, length) => input.read(offset, length), path, layout, at, n);
      // Converted and pushed a block at a time: small arrays, reused, and small outputs per push.
      for (let done = 0; done < n; done += PUSH_SAMPLES) {
        const count = Math.min(PUSH_SAMPLES, n - done);
        pcmToMono(bytes.subarray(done * stride, (done + count) * stride), layout, scratch, 0);
        keep(stream.push(scratch.subarray(0, count)));
      }
    }
    // The zeros padding the signal to the window grid.
    scratch.fill(0);
    for (let at = Math.max(piece.origin, layout.frames); at < piece.end; at += PUSH_SAMPLES)
      keep(stream.push(scratch.subarray(0, Math.min(PUSH_SAMPLES, piece.end - at))));
    if (piece.last) {
      ended = true;
      keep(stream.end());
    }
    if (seen < skip + piece.count)
      throw new SpgExtractorError(
        'SPG_EXTRACTOR_FAILED',
        `${extractor.id} gave ${Math.max(0, seen - skip)} of the ${piece.count} frames from frame ${piece.first} of "${path}" (samples ${piece.origin}-${piece.end}); its stream does not compute frames as soon as their samples arrived`,
        extractor.id,
      );
  } finally {
    // The stream's resources go back (its last frames, if any, are not needed).
    try {
      if (!ended) stream.end();
      stream.finish();
    } catch {
      // Already failed: the error that matters is the one thrown above.
    }
    pool.give(scratch);
  }
  sink.block(out, 0);
}

/**
 * How a long file's frames are computed in pieces on this thread and its helpers (`computeFramePiece`),
 * or undefined when they cannot be: no helper computes frames, the extractor declares no `params`
 * or its stream cannot `observe`, the file is not WAV/AIFF PCM at the extractor's rate read by core's
 * decoder from a source with `readRange`, or it makes a single piece.
 */
export async function framePiecePlan(
  parts: GeneratorParts,
  job: GenerationJob,
  stream: FeatureStream,
): Promise<
  | { samples: number; pieces: FramePiece[]; workers: PieceWorker<FramePiece>[]; close(): Promise<void> }
  | undefined
> {
  const { extractor, source, decoder } = parts;
  const helpers = job.helpers?.filter((helper) => helper.frames) ?? [];
  if (helpers.length === 0 || !extractor.params || !stream.observe || decoder.id !== CORE_DECODER_ID)
    return undefined;
  const layout = await pcmLayoutAt(source, job.path, parts.sampleRate, job.size);
  if (!layout) return undefined;
  const signal = paddedLength(Math.max(job.length, layout.frames), parts.windowSize, parts.windowOffset);
  const frames = extractorFrameCount(extractor, signal);
  const { nFft, hopLength } = extractor.params;
  const pieces = cutFramePieces(frames, signal, nFft, hopLength, parts.chunks?.framePieces);
  if (pieces.length < 2) return undefined;
  const pool = new BlockPool();
  const file = { path: job.path, ...(job.size !== undefined && { size: job.size }) };
  const input = await sourceByteInput(source, job.path, file);
  const workers: PieceWorker<FramePiece>[] = [
    {
      run: (piece, sink, abort) =>
        computeFramePiece(input, extractor, job.path, layout, piece, pool, sink, abort),
      recycle: (block) => pool.give(block),
      helper: false,
    },
    ...helpers.map((helper) =>
      helperWorker<FramePiece>(helper, (piece, sink, abort) =>
        helper.frames!(file, { piece, layout }, sink, abort),
      ),
    ),
  ];
  return { samples: layout.frames, pieces, workers, close: () => input.close() };
}

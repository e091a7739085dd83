import type { AudioDecoder, ByteInput, ByteRange, DecodedAudio } from '../contracts/audio-decoder';
import type { PcmLayout } from '../decode/pcm-layout';
import { BlockPool, decodePiece, headCached, type PieceSink, type PieceWorker } from './decode-piece';
import type { FramePiece } from './frame-piece';

/**
 * Another thread that decodes pieces of a file (`decodePiece` there), e.g. an otherwise idle worker
 * thread while one long file is generated. Resolves when the piece's last block was handed to
 * `sink`; rejects with the decoder's error. Stops early when `signal` aborts.
 */
export interface PieceHelper {
  decode(
    job: { path: string; size?: number },
    range: ByteRange,
    sink: PieceSink,
    signal: AbortSignal,
  ): Promise<void>;
  /** Gives back a block it handed over, once used (for its next blocks). */
  recycle?(block: Float32Array): void;
  /**
   * Computes one piece of a long PCM file's frames there (`computeFramePiece`), handing them to
   * `sink` as one block; like `decode` otherwise.
   */
  frames?(
    job: { path: string; size?: number },
    work: { piece: FramePiece; layout: PcmLayout },
    sink: PieceSink,
    signal: AbortSignal,
  ): Promise<void>;
}

interface Piece<R> {
  range: R;
  blocks: { values: Float32Array; sampleRate: number }[];
  taken: boolean;
  /** Blocks handed over so far. */
  delivered: number;
  /** Where its blocks go back to once used. */
  recycle?: (block: Float32Array) => void;
  done: boolean;
  error?: { cause: unknown };
  reached: () => void;
  sink: PieceSink;
}

/**
 * The mono blocks of a file cut into `ranges` (see `AudioDecoder.pieces`), in order, decoded by this
 * thread and `helpers` at once (see `inPieceOrder`). The same blocks as decoding the ranges one after
 * the other here, so what is computed from them does not change.
 */
export async function* pieceBlocks(
  decoder: AudioDecoder,
  path: string,
  size: number | undefined,
  input: ByteInput,
  ranges: readonly ByteRange[],
  helpers: readonly PieceHelper[],
): AsyncGenerator<DecodedAudio> {
  const local = headCached(input);
  const pool = new BlockPool();
  const workers: PieceWorker<ByteRange>[] = [
    {
      run: (range, sink, signal) => decodePiece(decoder, path, local, range, sink, pool, signal),
      recycle: (block) => pool.give(block),
      helper: false,
    },
    ...helpers.map((helper) =>
      helperWorker<ByteRange>(helper, (range, sink, signal) =>
        helper.decode({ path, size }, range, sink, signal),
      ),
    ),
  ];
  for await (const { values, sampleRate } of inPieceOrder(ranges, workers))
    yield { channelData: [values], sampleRate };
}

/** Another thread as one of `inPieceOrder`'s workers: `run` asks it for a piece; blocks go back to it. */
export function helperWorker<R>(
  helper: PieceHelper,
  run: (range: R, sink: PieceSink, signal: AbortSignal) => Promise<void>,
): PieceWorker<R> {
  return { run, ...(helper.recycle && { recycle: helper.recycle.bind(helper) }), helper: true };
}

/**
 * The blocks of `ranges`' pieces, in order, made by `workers` at once: every worker takes the first
 * piece no one took yet, among the next `workers.length` from the one being consumed, and pieces are
 * consumed in order as their blocks arrive. A block is recycled to its worker when the next one is
 * asked for. Memory: the blocks of up to `workers.length` pieces (each held back at
 * `PIECE_HOLD_SAMPLES` until it is reached, for workers that honour `reached`).
 */
export async function* inPieceOrder<R>(
  ranges: readonly R[],
  workers: readonly PieceWorker<R>[],
): AsyncGenerator<{ values: Float32Array; sampleRate: number }> {
  const stop = new AbortController();
  let wake: () => void = () => {};
  let changed = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const notify = () => {
    const woken = wake;
    changed = new Promise<void>((resolve) => {
      wake = resolve;
    });
    woken();
  };
  const pieces: Piece<R>[] = ranges.map((range) => {
    let reached: () => void = () => {};
    const promise = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const piece: Piece<R> = {
      range,
      blocks: [],
      taken: false,
      delivered: 0,
      done: false,
      reached,
      sink: {
        block(values, sampleRate) {
          piece.blocks.push({ values, sampleRate });
          piece.delivered++;
          notify();
        },
        reached: promise,
      },
    };
    return piece;
  });
  const window = workers.length;
  let current = 0;
  /** The next piece for a free worker, or undefined when none may be taken now. */
  const next = (): Piece<R> | undefined => {
    for (let i = current; i < Math.min(pieces.length, current + window); i++)
      if (!pieces[i]!.taken) return pieces[i];
    return undefined;
  };
  /**
   * One worker: takes pieces until none is left (waiting while the window is full). A helper that
   * fails before handing over any block of its piece (its thread could not start, say) leaves the
   * piece to the others and stops: this thread then makes it, and a real error is thrown from here
   * the same way.
   */
  const run = async ({ run: make, recycle, helper }: PieceWorker<R>) => {
    while (!stop.signal.aborted) {
      const piece = next();
      if (!piece) {
        if (pieces.every((p) => p.taken)) return;
        await changed;
        continue;
      }
      piece.taken = true;
      piece.recycle = recycle;
      try {
        await make(piece.range, piece.sink, stop.signal);
      } catch (cause) {
        if (helper && piece.delivered === 0) {
          piece.taken = false;
          notify();
          return;
        }
        piece.error = { cause };
      }
      piece.done = true;
      notify();
    }
  };
  const running = workers.map(run);
  try {
    for (; current < pieces.length; current++) {
      const piece = pieces[current]!;
      piece.reached();
      notify();
      for (;;) {
        const block = piece.blocks.shift();
        if (block) {
          yield block;
          // Asked for the next block: this one is used.
          piece.recycle?.(block.values);
        } else if (piece.error) throw piece.error.cause;
        else if (piece.done) break;
        else await changed;
      }
    }
  } finally {
    stop.abort();
    // Wake workers waiting for the window or for their piece to be reached, and let them end.
    for (const piece of pieces) piece.reached();
    notify();
    await Promise.allSettled(running);
  }
}

import type { AudioDecoder, ByteInput, ByteRange, DecodedAudio } from '../contracts/audio-decoder';
import { BlockPool, decodePiece, headCached, type PieceSink } from './decode-piece';

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
}

interface Piece {
  range: ByteRange;
  blocks: DecodedAudio[];
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
 * thread and `helpers` at once: every decoder (this thread counts as one) takes the first piece no
 * one took yet, among the next `decoders` from the one being consumed, and pieces are consumed in
 * order as their blocks arrive. The same blocks as decoding the ranges one after the other here, so
 * what is computed from them does not change. Memory: the decoded samples of up to `decoders`
 * pieces (each cut at `PIECE_HOLD_SAMPLES` until it is reached).
 */
export async function* pieceBlocks(
  decoder: AudioDecoder,
  path: string,
  size: number | undefined,
  input: ByteInput,
  ranges: readonly ByteRange[],
  helpers: readonly PieceHelper[],
): AsyncGenerator<DecodedAudio> {
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
  const pieces: Piece[] = ranges.map((range) => {
    let reached: () => void = () => {};
    const promise = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const piece: Piece = {
      range,
      blocks: [],
      taken: false,
      delivered: 0,
      done: false,
      reached,
      sink: {
        block(mono, sampleRate) {
          piece.blocks.push({ channelData: [mono], sampleRate });
          piece.delivered++;
          notify();
        },
        reached: promise,
      },
    };
    return piece;
  });
  const window = helpers.length + 1;
  let current = 0;
  /** The next piece for a free decoder, or undefined when none may be taken now. */
  const next = (): Piece | undefined => {
    for (let i = current; i < Math.min(pieces.length, current + window); i++)
      if (!pieces[i]!.taken) return pieces[i];
    return undefined;
  };
  /**
   * One decoder: takes pieces until none is left (waiting while the window is full). A helper that
   * fails before handing over any block of its piece (its thread could not start, say) leaves the
   * piece to the others and stops: this thread then decodes it, and a real decoding error is thrown
   * from here the same way.
   */
  const run = async (
    decode: (piece: Piece) => Promise<void>,
    recycle: ((block: Float32Array) => void) | undefined,
    helper: boolean,
  ) => {
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
        await decode(piece);
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
  const local = headCached(input);
  const pool = new BlockPool();
  const decoders = [
    run(
      (piece) => decodePiece(decoder, path, local, piece.range, piece.sink, pool, stop.signal),
      (block) => pool.give(block),
      false,
    ),
    ...helpers.map((helper) =>
      run(
        (piece) => helper.decode({ path, size }, piece.range, piece.sink, stop.signal),
        helper.recycle?.bind(helper),
        true,
      ),
    ),
  ];
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
          piece.recycle?.(block.channelData[0]!);
        } else if (piece.error) throw piece.error.cause;
        else if (piece.done) break;
        else await changed;
      }
    }
  } finally {
    stop.abort();
    // Wake decoders waiting for the window or for their piece to be reached, and let them end.
    for (const piece of pieces) piece.reached();
    notify();
    await Promise.allSettled(decoders);
  }
}

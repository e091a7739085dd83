import type { MessagePort } from 'node:worker_threads';
import type { AudioDecoder, ByteInput, ByteRange } from '../contracts/audio-decoder';
import type { AudioSource } from '../contracts/audio-source';
import type { FeatureExtractor } from '../contracts/feature-extractor';
import type { PcmLayout } from '../decode/pcm-layout';
import { DEFAULT_READ_BYTES, type SourceByteInput, sourceByteInput } from '../decode/source-byte-input';
import { spgErrorFromJSON } from '../errors/error-json';
import { SpgError, type SpgErrorJson } from '../errors/spg-error';
import {
  BlockPool,
  decodePiece,
  headCached,
  PIECE_READ_BYTES,
  type PieceSink,
} from '../generation/decode-piece';
import type { FramePiece } from '../generation/frame-piece';
import { computeFramePiece } from '../generation/frame-pieces';
import type { PieceHelper } from '../generation/piece-blocks';

/** Work on a piece of a file: decode bytes `range`, or compute the frames of `piece`. */
type Work =
  | { type: 'piece'; path: string; size?: number; range: ByteRange }
  | { type: 'frames'; path: string; size?: number; piece: FramePiece; layout: PcmLayout };

/** Messages from the thread generating a file to a helper thread. */
type Request =
  | (Work & { id: number })
  | { type: 'reached' | 'cancel'; id: number }
  | { type: 'recycle'; block: Float32Array }
  | { type: 'close' };

/** Messages from a helper thread back. */
type Reply =
  | { type: 'block'; id: number; mono: Float32Array; sampleRate: number }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; error: SpgErrorJson | { name: string; message: string } };

/**
 * The generating thread's end of a channel to a helper thread (`servePieces` at the other end): a
 * `PieceHelper` whose pieces are decoded there and whose blocks arrive here (transferred, not copied).
 * One piece at a time (the helper works on one at a time). `pieces` counts the pieces it decoded or
 * computed.
 * `wake`, when given, is posted to with the first piece: the helper's job is started then.
 */
export function portPieceHelper(
  port: MessagePort,
  wake?: MessagePort,
): PieceHelper & { readonly pieces: number } {
  let ids = 0;
  let done = 0;
  let woken = false;
  /** Posts one request (a piece to decode, or a piece's frames) and forwards its blocks to `sink`. */
  const ask = (request: Work, sink: PieceSink, signal: AbortSignal) => {
    const id = ++ids;
    return new Promise<void>((resolve, reject) => {
      const end = () => {
        port.off('message', onMessage);
        port.off('close', onClose);
        signal.removeEventListener('abort', onAbort);
      };
      const onMessage = (reply: Reply) => {
        if (reply.id !== id) return;
        if (reply.type === 'block') sink.block(reply.mono, reply.sampleRate);
        else {
          end();
          if (reply.type === 'done') {
            done++;
            resolve();
          } else {
            const { error } = reply;
            reject(
              'code' in error
                ? spgErrorFromJSON(error)
                : Object.assign(new Error(error.message), { name: error.name }),
            );
          }
        }
      };
      const onAbort = () => {
        end();
        port.postMessage({ type: 'cancel', id } satisfies Request);
        resolve();
      };
      const onClose = () => {
        end();
        reject(new Error('the helper thread working on a piece of this file closed its channel'));
      };
      port.on('message', onMessage);
      port.on('close', onClose);
      signal.addEventListener('abort', onAbort, { once: true });
      sink.reached.then(() => {
        if (!signal.aborted) port.postMessage({ type: 'reached', id } satisfies Request);
      });
      port.postMessage({ ...request, id } satisfies Request);
      if (wake && !woken) {
        woken = true;
        wake.postMessage('start');
      }
    });
  };
  return {
    get pieces() {
      return done;
    },
    recycle(block) {
      // Back to the helper's pool (transferred, not copied).
      port.postMessage({ type: 'recycle', block } satisfies Request, [block.buffer as ArrayBuffer]);
    },
    decode: (job, range, sink, signal) =>
      ask(
        { type: 'piece', path: job.path, ...(job.size !== undefined && { size: job.size }), range },
        sink,
        signal,
      ),
    frames: (job, { piece, layout }, sink, signal) =>
      ask(
        { type: 'frames', path: job.path, ...(job.size !== undefined && { size: job.size }), piece, layout },
        sink,
        signal,
      ),
  };
}

/** Tells the helper at the other end of `port` that the file is done, and closes the channel. */
export function closePieceHelper(port: MessagePort): void {
  port.postMessage({ type: 'close' } satisfies Request);
  port.close();
}

/**
 * A helper thread's side: decodes the pieces asked for on `port` with `decoder` (`decodePiece`, the
 * file read from `source` in reads of `PIECE_READ_BYTES`), or computes pieces of frames with
 * `extractor` (`computeFramePiece`, made on the first such request), and posts their blocks back,
 * until the other side closes the channel. Resolves with the number of pieces done.
 */
export function servePieces(
  port: MessagePort,
  decoder: AudioDecoder,
  source: AudioSource,
  extractor?: () => Promise<FeatureExtractor>,
): Promise<number> {
  // Read buffers for every piece (fresh memory costs more than decoding it).
  const buffers: [Uint8Array, Uint8Array] = [
    new Uint8Array(PIECE_READ_BYTES),
    new Uint8Array(PIECE_READ_BYTES),
  ];
  const pool = new BlockPool();
  return new Promise<number>((resolve) => {
    let served = 0;
    const reached = new Map<number, () => void>();
    const cancelled = new Map<number, AbortController>();
    let queue: Promise<void> = Promise.resolve();
    // The file being helped with (kept from piece to piece: its header is read once).
    let input: { path: string; bytes: SourceByteInput; cached: ByteInput } | undefined;
    // The same for pieces of frames (read in larger ranges: PCM needs no codec per read).
    let frameInput: { path: string; bytes: SourceByteInput } | undefined;
    let frameBuffers: [Uint8Array, Uint8Array] | undefined;
    const finish = () => {
      for (const stop of cancelled.values()) stop.abort();
      for (const wake of reached.values()) wake();
      port.close();
      queue.then(() => resolve(served));
    };
    port.on('close', finish);
    port.on('message', (request: Request) => {
      if (request.type === 'close') return finish();
      if (request.type === 'recycle') return pool.give(request.block);
      if (request.type === 'reached') return reached.get(request.id)?.();
      if (request.type !== 'piece' && request.type !== 'frames') {
        cancelled.get(request.id)?.abort();
        reached.get(request.id)?.();
        return;
      }
      const { id, path, size } = request;
      const stop = new AbortController();
      cancelled.set(id, stop);
      const wasReached = new Promise<void>((wake) => reached.set(id, wake));
      queue = queue.then(async () => {
        const sink: PieceSink = {
          block: (mono, sampleRate) =>
            port.postMessage({ type: 'block', id, mono, sampleRate } satisfies Reply, [
              mono.buffer as ArrayBuffer,
            ]),
          reached: wasReached,
        };
        try {
          if (stop.signal.aborted) return;
          if (request.type === 'frames') {
            if (!extractor) throw new Error('this helper thread has no extractor to compute frames with');
            if (frameInput?.path !== path) {
              await frameInput?.bytes.close();
              frameBuffers ??= [new Uint8Array(DEFAULT_READ_BYTES), new Uint8Array(DEFAULT_READ_BYTES)];
              const bytes = await sourceByteInput(source, path, {
                ...(size !== undefined && { size }),
                buffers: frameBuffers,
              });
              frameInput = { path, bytes };
            }
            const { piece, layout } = request;
            try {
              await computeFramePiece(
                frameInput.bytes,
                await extractor(),
                path,
                layout,
                piece,
                pool,
                sink,
                stop.signal,
              );
            } finally {
              await frameInput.bytes.close();
            }
            served++;
            port.postMessage({ type: 'done', id } satisfies Reply);
            return;
          }
          if (input?.path !== path) {
            await input?.bytes.close();
            const bytes = await sourceByteInput(source, path, {
              ...(size !== undefined && { size }),
              readSize: PIECE_READ_BYTES,
              buffers,
            });
            input = { path, bytes, cached: headCached(bytes) };
          }
          const { bytes, cached } = input;
          try {
            await decodePiece(decoder, path, cached, request.range, sink, pool, stop.signal);
          } finally {
            await bytes.close();
          }
          served++;
          port.postMessage({ type: 'done', id } satisfies Reply);
        } catch (error) {
          port.postMessage({
            type: 'error',
            id,
            error: SpgError.isInstance(error)
              ? error.toJSON()
              : {
                  name: (error as Error)?.name ?? 'Error',
                  message: (error as Error)?.message ?? String(error),
                },
          } satisfies Reply);
        } finally {
          cancelled.delete(id);
          reached.delete(id);
        }
      });
    });
  });
}

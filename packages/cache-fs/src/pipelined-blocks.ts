import type { FileHandle } from 'node:fs/promises';
import { RESERVED_HEADER, readValuesAt } from './spill-io';

/**
 * I/O started now and awaited later: a failure surfaces where it is awaited (or in `settle`), never
 * as an unhandled rejection while other work runs.
 */
export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.#pending.add(work);
    work.then(
      () => this.#pending.delete(work),
      () => this.#pending.delete(work),
    );
    return work;
  }

  /** Waits until nothing is in flight (failures ignored: they were or will be reported elsewhere). */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}

export interface PipelinedPass {
  handle: FileHandle;
  /** float32 values stored after the reserved header. */
  total: number;
  rows: number;
  /** Equal-sized blocks of whole frames (at least two): one is visited while the others are read or written. */
  blocks: readonly Float32Array[];
  visit(block: Float32Array, first: number): void;
  /** Consumes the visited block `index` (e.g. writes it back); the block is not reused before it resolves. */
  sink?(block: Float32Array, index: number): Promise<void>;
}

/**
 * Visits the spilled values block after block, reading ahead into the free blocks and letting each
 * visited block's sink run behind: the thread visits (computes) while the file system copies, instead
 * of waiting for each read and write in turn. A block is read again only after its last sink finished.
 */
export async function pipelinedPass(pass: PipelinedPass): Promise<void> {
  const { handle, total, rows, blocks, visit, sink } = pass;
  const size = blocks[0]!.length;
  const ring = blocks.length;
  const count = Math.ceil(total / size);
  const inFlight = new InFlight();
  const reads: Promise<Float32Array>[] = [];
  const sinks: Promise<void>[] = [];
  const read = (index: number): Promise<Float32Array> => {
    const block = blocks[index % ring]!.subarray(0, Math.min(size, total - index * size));
    const free = sinks[index - ring] ?? Promise.resolve();
    return free.then(() => readValuesAt(handle, block, RESERVED_HEADER + index * size * 4)).then(() => block);
  };
  let next = 0;
  try {
    for (let index = 0; index < count; index++) {
      // Blocks index .. index + ring - 1 in flight; the last one reuses the block visited just before.
      for (; next < count && next < index + ring; next++) reads[next] = inFlight.track(read(next));
      const block = await reads[index]!;
      visit(block, (index * size) / rows);
      if (sink) sinks[index] = inFlight.track(sink(block, index));
    }
    await Promise.all(sinks);
  } finally {
    // Nothing may touch the blocks or the file once this returns (or throws).
    await inFlight.settle();
  }
}

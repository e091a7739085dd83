import { mulberry32 } from '../loader/mulberry32';

/**
 * The order a shuffle buffer of `buffer` items emits input positions 0..count-1 in, computed on
 * positions alone (no data): the buffer fills up to `buffer` positions, then each step emits a
 * seeded random one of them and takes in the next input. Because the order depends only on
 * (count, buffer, seed), a resumed reader replays it to any point and knows exactly which inputs
 * were emitted and which sat in the buffer: resuming needs no record of the buffer's contents.
 * A buffer of 0 or 1 keeps the input order.
 */
export class ShuffleOrder {
  readonly count: number;
  readonly buffer: number;
  readonly #random: () => number;
  readonly #slots: Uint32Array;
  #size = 0;
  #inputs = 0;
  #emitted = 0;

  constructor(count: number, buffer: number, seed: number) {
    this.count = count;
    this.buffer = Math.max(1, Math.min(buffer, count));
    this.#random = mulberry32(seed);
    this.#slots = new Uint32Array(this.buffer);
  }

  /** Positions emitted so far. */
  get emitted(): number {
    return this.#emitted;
  }

  /** Input positions taken in so far: all below it are emitted or in the buffer. */
  get inputs(): number {
    return this.#inputs;
  }

  /** The positions in the buffer (taken in, not yet emitted), ascending. */
  pending(): number[] {
    return Array.from(this.#slots.subarray(0, this.#size)).sort((a, b) => a - b);
  }

  /** The next position to emit, or -1 when all `count` were emitted. */
  next(): number {
    if (this.#emitted >= this.count) return -1;
    while (this.#size < this.buffer && this.#inputs < this.count) this.#slots[this.#size++] = this.#inputs++;
    const j = this.buffer === 1 ? 0 : Math.floor(this.#random() * this.#size);
    const position = this.#slots[j]!;
    this.#slots[j] = this.#slots[--this.#size]!;
    this.#emitted++;
    return position;
  }
}

/**
 * Decides which dataset indices an epoch visits and in what order. A plain object: write your own
 * in a few lines. `indices` must be deterministic for a given (length, epoch).
 */
export interface Sampler {
  /** Short description for messages, e.g. `random(seed 7)`. */
  readonly name: string;
  /** How many indices `indices(length, epoch)` returns for a dataset of `length` items. */
  size(length: number): number;
  /** The indices of epoch `epoch` for a dataset of `length` items, each in `[0, length)`. */
  indices(length: number, epoch: number): ArrayLike<number> & Iterable<number>;
}

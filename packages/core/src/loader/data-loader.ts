import type { Item } from '../contracts/item';
import type { ReadableDataset } from '../contracts/readable-dataset';
import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';
import { type Batch, type Collate, defaultCollate } from './default-collate';
import { randomSampler } from './random-sampler';
import type { Sampler } from './sampler';
import { sequentialSampler } from './sequential-sampler';

export interface DataLoaderOptions<B> {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** Visit items in a seeded random order that changes every epoch (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0); epoch `e` reshuffles from (seed, e). */
  seed?: number;
  /** Leave out the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Items -> batch (default `defaultCollate`: contiguous stacked tensors). */
  collate?: Collate<B>;
  /**
   * Batches loaded ahead of the one the loop is working on (default 2). Items of a batch are
   * always requested concurrently; 0 loads a batch only when the loop asks for it.
   */
  prefetch?: number;
  /** Chooses the indices of each epoch; replaces `shuffle`/`seed` (e.g. `distributedSampler`). */
  sampler?: Sampler;
  /**
   * Recycle batch memory (default false). When true, a batch's arrays belong to the loop only until
   * it asks for the next batch; the loader then writes a later batch into them. Copy what you keep
   * (`batch.label!.slice()`). It pays when each batch goes straight into a framework tensor (a
   * copy): no allocation, no garbage and no fresh memory per batch. Applies with the default
   * collate on datasets with `getBatch` (SpectrogramDataset); otherwise batches are always new.
   */
  reuseBatches?: boolean;
}

function checkOptions(options: DataLoaderOptions<unknown>): void {
  const issues: ConfigIssue[] = [];
  const { batchSize, prefetch, seed, sampler, shuffle } = options;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1))
    issues.push({ path: 'batchSize', message: `got ${batchSize}; use an integer >= 1` });
  if (prefetch !== undefined && (!Number.isInteger(prefetch) || prefetch < 0))
    issues.push({
      path: 'prefetch',
      message: `got ${prefetch}; use an integer >= 0 (2 keeps a training loop fed)`,
    });
  if (seed !== undefined && !Number.isInteger(seed))
    issues.push({ path: 'seed', message: `got ${seed}; use an integer` });
  if (sampler !== undefined) {
    if (typeof sampler.indices !== 'function' || typeof sampler.size !== 'function')
      issues.push({ path: 'sampler', message: 'needs size(length) and indices(length, epoch) functions' });
    if (shuffle)
      issues.push({ path: 'shuffle', message: 'give either a sampler or shuffle: true, not both' });
  }
  if (options.reuseBatches !== undefined && typeof options.reuseBatches !== 'boolean')
    issues.push({ path: 'reuseBatches', message: `got ${options.reuseBatches}; use true or false` });
  if (options.collate !== undefined && typeof options.collate !== 'function')
    issues.push({
      path: 'collate',
      message: `got ${typeof options.collate}; use a function (items) => batch`,
    });
  if (issues.length > 0) throw new SpgConfigError(issues, 'SPG_CONFIG_LOADER');
}

/**
 * Batches of any `ReadableDataset` (a dataset or a router). Each `for await` over the loader is
 * one epoch; epochs count up from 0 and `setEpoch(e)` sets the next one (do it on every rank with
 * a `distributedSampler`). Up to `prefetch` batches load while the loop works.
 *
 * Every batch is new by default and stays valid as long as you keep it, as in PyTorch: loops keep
 * batches (labels for metrics, outputs to concatenate), and a batch overwritten behind their back
 * would give wrong results without an error. `reuseBatches: true` trades that for speed.
 *
 * ```ts
 * const loader = new DataLoader(ds, { batchSize: 64, shuffle: true, seed: 1 });
 * for (let epoch = 0; epoch < 10; epoch++) for await (const batch of loader) train(batch);
 * ```
 */
export class DataLoader<B = Batch> implements AsyncIterable<B> {
  readonly dataset: ReadableDataset;
  readonly batchSize: number;
  readonly dropLast: boolean;
  readonly prefetch: number;
  readonly sampler: Sampler;
  readonly collate: Collate<B>;
  /** Whether batch memory is recycled (see `DataLoaderOptions.reuseBatches`). */
  readonly reuseBatches: boolean;
  /** Batches the loop is done with, by item count, to be written into again (with `reuseBatches`). */
  readonly #free = new Map<number, B[]>();
  /** Item count of each batch handed out while `reuseBatches` (to file it when it comes back). */
  readonly #sizes = new WeakMap<object, number>();
  #epoch = 0;

  constructor(dataset: ReadableDataset, options: DataLoaderOptions<B> = {}) {
    checkOptions(options);
    this.dataset = dataset;
    this.batchSize = options.batchSize ?? 1;
    this.dropLast = options.dropLast ?? false;
    this.prefetch = options.prefetch ?? 2;
    this.sampler =
      options.sampler ?? (options.shuffle ? randomSampler({ seed: options.seed ?? 0 }) : sequentialSampler());
    this.collate = options.collate ?? (defaultCollate as unknown as Collate<B>);
    this.reuseBatches = options.reuseBatches ?? false;
  }

  /** The epoch the next `for await` runs (each one started advances it). */
  get epoch(): number {
    return this.#epoch;
  }

  /** Sets the epoch of the next `for await`, e.g. from a distributed training loop. */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0) {
      throw new SpgConfigError(
        [{ path: 'epoch', message: `got ${epoch}; use an integer >= 0` }],
        'SPG_CONFIG_LOADER',
      );
    }
    this.#epoch = epoch;
  }

  /** Batches per epoch for the dataset's current length (and mode). */
  get length(): number {
    const n = this.sampler.size(this.dataset.length);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  [Symbol.asyncIterator](): AsyncIterator<B> {
    const epoch = this.#epoch;
    this.#epoch = epoch + 1;
    return this.batches(epoch);
  }

  /** The batches of one given epoch, without touching the epoch counter. */
  async *batches(epoch: number): AsyncGenerator<B, void, undefined> {
    const order = this.sampler.indices(this.dataset.length, epoch);
    const total = order.length;
    const count = this.dropLast ? Math.floor(total / this.batchSize) : Math.ceil(total / this.batchSize);
    const pending: Promise<B>[] = [];
    let started = 0;
    let closed = false;
    const start = () => {
      const from = started * this.batchSize;
      const promise = this.#load(order, from, Math.min(from + this.batchSize, total));
      // Errors surface when the batch is awaited; a loop that stopped early never sees them.
      promise.catch(() => {});
      pending.push(promise);
      started++;
    };
    const refill = (upTo: number) => {
      while (!closed && started < count && started <= upTo) start();
    };
    // With reuseBatches: the batch the loop holds, recycled when it asks for the next one.
    let held: B | undefined;
    try {
      for (let k = 0; k < count; k++) {
        if (held !== undefined) this.#release(held);
        held = undefined;
        if (started <= k) start();
        // Start batches up to k + prefetch in a later task, not now: their collate then runs
        // while the loop works on batch k instead of delaying the hand-over of batch k.
        if (this.prefetch > 0) setTimeout(refill, 0, k + this.prefetch);
        const batch = await pending.shift()!;
        if (this.reuseBatches) held = batch;
        yield batch;
      }
    } finally {
      closed = true;
      pending.length = 0;
      if (held !== undefined) this.#release(held);
    }
  }

  /** Keeps a batch the loop is done with for a later load of as many items (at most prefetch + 2 per size). */
  #release(batch: B, size = this.#sizes.get(batch as object)): void {
    if (size === undefined) return; // not from getBatch: nothing to write into
    const free = this.#free.get(size) ?? [];
    this.#free.set(size, free);
    free.push(batch);
    if (free.length > this.prefetch + 2) free.shift();
  }

  async #load(order: ArrayLike<number>, from: number, to: number): Promise<B> {
    // A dataset that stacks batches itself skips the per-item arrays (one copy instead of two).
    if (this.collate === (defaultCollate as unknown) && this.dataset.getBatch) {
      const indices = new Array<number>(to - from);
      for (let i = from; i < to; i++) indices[i - from] = order[i]!;
      if (!this.reuseBatches) return (await this.dataset.getBatch(indices)) as B;
      const into = this.#free.get(indices.length)?.pop();
      const batch = (await this.dataset.getBatch(indices, into as Batch | undefined)) as B;
      if (into !== undefined && batch !== into) this.#release(into, indices.length);
      this.#sizes.set(batch as object, indices.length);
      return batch;
    }
    const requests = new Array<Promise<Item>>(to - from);
    for (let i = from; i < to; i++) requests[i - from] = this.dataset.get(order[i]!);
    return this.collate(await Promise.all(requests));
  }
}

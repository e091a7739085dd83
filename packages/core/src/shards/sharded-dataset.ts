import { npyByteLength } from '../codec/npy';
import type { OutputConfiguration } from '../contracts/output-configuration';
import { SpgConfigError } from '../errors/spg-config-error';
import { type Batch, defaultCollate } from '../loader/default-collate';
import { epochSeed } from '../loader/mulberry32';
import type { OpenShardedDatasetOptions } from './open-sharded-dataset';
import { PositionReader } from './position-reader';
import { manifestFingerprint, type ShardManifest } from './shard-manifest';
import { type ShardPlan, shardPlan } from './shard-plan';
import {
  type AsyncDigest,
  defaultDigest,
  SampleBufferPool,
  ShardStream,
  type ShardTarget,
} from './shard-reader';
import type { ShardItem, ShardSampleSpec } from './shard-sample';
import type { ShardSource } from './shard-source';
import { resumeIssues, type ShardedState } from './sharded-state';
import { ShuffleOrder } from './shuffle-order';

export interface ShardBatchesOptions<B> {
  /** Leave out the last batch of the epoch when it is smaller than the batch size (default false). */
  dropLast?: boolean;
  /** Items -> batch (default `defaultCollate`, as the DataLoader). */
  collate?: (items: ShardItem[]) => B;
}

/**
 * One rank's (and loader worker's) stream of an export. `for await (const item of shards)` yields
 * the rest of the current epoch (items shaped like `dataset.get(i)`, plus `key` and `location`) and
 * then moves to the next epoch; `batches(n)` yields them collated. Shards are shared out per epoch by
 * `shardPlan`; every rank and worker yields `length` items per epoch. `state()` after any item or
 * batch, given to `resume()` (in this or a fresh process), continues the epoch exactly: no repeats,
 * no skips.
 */
export class ShardedDataset implements AsyncIterable<ShardItem> {
  readonly manifest: ShardManifest;
  /** Shard locations in manifest order. */
  readonly urls: readonly string[];
  readonly rank: number;
  readonly worldSize: number;
  readonly workerId: number;
  readonly numWorkers: number;
  readonly shuffle: { buffer: number; seed: number } | null;
  readonly pad: 'repeat' | 'drop';
  readonly #source: ShardSource;
  readonly #spec: ShardSampleSpec;
  readonly #digest: AsyncDigest | undefined;
  readonly #readAhead: number;
  readonly #fingerprint: string;
  readonly #targets: ShardTarget[];
  #epoch: number;
  #consumed = 0;
  #active = false;

  constructor(
    manifest: ShardManifest,
    urls: readonly string[],
    source: ShardSource,
    options: OpenShardedDatasetOptions,
  ) {
    this.manifest = manifest;
    this.urls = urls;
    this.rank = options.rank ?? 0;
    this.worldSize = options.worldSize ?? 1;
    this.workerId = options.workerId ?? 0;
    this.numWorkers = options.numWorkers ?? 1;
    this.shuffle = options.shuffle ? { buffer: options.shuffle.buffer, seed: options.shuffle.seed } : null;
    this.pad = options.pad ?? 'repeat';
    this.#source = source;
    this.#spec = {
      outputConfiguration: manifest.outputConfiguration,
      classes: manifest.classes,
      tensors: manifest.tensors,
    };
    this.#digest = options.verify === false ? undefined : (options.digest ?? defaultDigest);
    this.#readAhead = options.readAhead ?? 64;
    this.#fingerprint = manifestFingerprint(manifest);
    this.#targets = manifest.shards.map((s, index) => ({
      index,
      url: urls[index]!,
      items: s.items,
      bytes: s.bytes,
    }));
    this.#epoch = options.epoch ?? 0;
  }

  get classes(): readonly string[] {
    return this.manifest.classes;
  }

  get outputConfiguration(): OutputConfiguration {
    return this.manifest.outputConfiguration;
  }

  /** The epoch being read (or read next). */
  get epoch(): number {
    return this.#epoch;
  }

  /** Items this rank and worker yield in the current epoch (the same on every rank and worker). */
  get length(): number {
    return this.plan().count;
  }

  /** Batches of `batchSize` in the current epoch (the same on every rank and worker). */
  batchCount(batchSize: number, dropLast = false): number {
    const n = this.length;
    return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  }

  /** This rank's and worker's share of epoch `epoch` (default: the current one). */
  plan(epoch = this.#epoch): ShardPlan {
    return shardPlan({
      shardItems: this.manifest.shards.map((s) => s.items),
      rank: this.rank,
      worldSize: this.worldSize,
      workerId: this.workerId,
      numWorkers: this.numWorkers,
      epoch,
      seed: this.shuffle?.seed,
      pad: this.pad,
    });
  }

  /** Starts epoch `epoch` from its beginning at the next iteration. */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0)
      throw new SpgConfigError(
        [{ path: 'epoch', message: `got ${epoch}; use a whole number >= 0` }],
        'SPG_CONFIG_SHARDS',
      );
    this.#epoch = epoch;
    this.#consumed = 0;
  }

  /** Where the stream stands: the epoch and the items of it handed out so far. */
  state(): ShardedState {
    return {
      version: 1,
      manifest: this.#fingerprint,
      rank: this.rank,
      worldSize: this.worldSize,
      workerId: this.workerId,
      numWorkers: this.numWorkers,
      shuffle: this.shuffle ? { ...this.shuffle } : null,
      pad: this.pad,
      epoch: this.#epoch,
      consumed: this.#consumed,
    };
  }

  /**
   * Continues from `state` (from `state()`, possibly in another process): the next item is the one
   * that would have followed. The state must come from the same manifest and options.
   */
  resume(state: ShardedState): void {
    const issues = resumeIssues(state, this.state(), (epoch) => this.plan(epoch).count);
    if (issues.length) throw new SpgConfigError(issues, 'SPG_CONFIG_SHARDS');
    this.#epoch = state.epoch;
    this.#consumed = state.consumed;
  }

  [Symbol.asyncIterator](): AsyncIterator<ShardItem> {
    return this.#items(undefined);
  }

  /** The rest of the current epoch in batches (one collate per batch); then the epoch advances. */
  async *batches<B = Batch>(
    batchSize: number,
    options: ShardBatchesOptions<B> = {},
  ): AsyncGenerator<B, void, undefined> {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new SpgConfigError(
        [{ path: 'batchSize', message: `got ${batchSize}; use a whole number >= 1` }],
        'SPG_CONFIG_SHARDS',
      );
    const collate = options.collate ?? (defaultCollate as unknown as (items: ShardItem[]) => B);
    // The default collate copies every tensor into the batch, so the items' buffers can be reused.
    const recycle = options.collate === undefined;
    const pool = recycle ? new SampleBufferPool(this.#sampleBytes) : undefined;
    const collateAndRecycle = (items: ShardItem[]) => {
      const batch = collate(items);
      if (pool)
        for (const item of items)
          pool.giveBack([item.spectrogram, item.audio, ...Object.values(item.masks ?? {})]);
      return batch;
    };
    let items: ShardItem[] = [];
    for await (const item of this.#items(pool)) {
      items.push(item);
      if (items.length === batchSize) {
        const batch = collateAndRecycle(items);
        items = [];
        yield batch;
      }
    }
    // A dropped last batch counts as consumed: the state has moved on to the next epoch.
    if (items.length > 0 && !options.dropLast) yield collateAndRecycle(items);
  }

  /** Bytes of one sample buffer (see ShardStream.sampleBytes). */
  get #sampleBytes(): number {
    const fields = Object.entries(this.manifest.tensors);
    return fields.reduce((n, [, shape]) => n + npyByteLength(shape), 0) + 1024;
  }

  async *#items(pool: SampleBufferPool | undefined): AsyncGenerator<ShardItem, void, undefined> {
    if (this.#active)
      throw new SpgConfigError(
        [
          {
            path: 'iteration',
            message: 'this ShardedDataset is already being iterated; finish (or break) that loop first',
          },
        ],
        'SPG_CONFIG_SHARDS',
      );
    this.#active = true;
    let reader: PositionReader | undefined;
    try {
      let plan = this.plan();
      if (this.#consumed > 0 && this.#consumed >= plan.count) {
        this.#epoch++;
        this.#consumed = 0;
        plan = this.plan();
      }
      const consumer = plan.consumer;
      const order = new ShuffleOrder(
        plan.count,
        this.shuffle?.buffer ?? 0,
        epochSeed(epochSeed(this.shuffle?.seed ?? 0, this.#epoch), consumer),
      );
      for (let k = 0; k < this.#consumed; k++) order.next();
      reader = new PositionReader(
        plan,
        order.pending(),
        order.inputs,
        (target) => new ShardStream(target, this.#source, this.#spec, this.#digest, pool),
        this.#targets,
      );
      const store = new Map<number, Promise<ShardItem>>();
      for (;;) {
        const position = order.next();
        if (position < 0) break;
        const horizon = Math.min(plan.count, order.inputs + this.#readAhead);
        while (!store.has(position) || reader.next < horizon) {
          if (reader.next >= plan.count) {
            if (store.has(position)) break;
            throw new Error(`internal: input ${position} was never read`);
          }
          const [read, item] = await reader.read();
          store.set(read, item);
        }
        const item = await store.get(position)!;
        store.delete(position);
        // Handing out the epoch's last item moves the state to the next epoch, so a loop that stops
        // right after it resumes (here or elsewhere) at the start of the next one.
        if (++this.#consumed === plan.count) {
          this.#epoch++;
          this.#consumed = 0;
        }
        yield item;
      }
      if (plan.count === 0) this.#epoch++;
    } finally {
      this.#active = false;
      await reader?.close();
    }
  }
}

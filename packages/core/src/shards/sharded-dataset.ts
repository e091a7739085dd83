import { npyByteLength } from '../codec/npy';
import type { OutputConfiguration } from '../contracts/output-configuration';
import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';
import { SpgShardError } from '../errors/spg-shard-error';
import { type Batch, defaultCollate } from '../loader/default-collate';
import { epochSeed } from '../loader/mulberry32';
import { httpShardSource } from './http-shard-source';
import { manifestFingerprint, parseShardManifest, type ShardManifest } from './shard-manifest';
import { type ShardPlan, shardPlan } from './shard-plan';
import {
  type AsyncDigest,
  defaultDigest,
  SampleBufferPool,
  ShardStream,
  type ShardTarget,
} from './shard-reader';
import type { ShardItem, ShardSampleSpec } from './shard-sample';
import { readAllBytes, type ShardSource } from './shard-source';
import { ShuffleOrder } from './shuffle-order';

export interface OpenShardedDatasetOptions {
  /** The export's manifest: the parsed object, or where `manifest.json` is (URL or path, read with `source`). */
  manifest: ShardManifest | string;
  /** Where each shard is, in manifest order (default: the manifest's names next to the manifest, or under `baseUrl`). */
  urls?: readonly string[];
  /** Folder or URL the shard names are relative to, when `manifest` is an object and `urls` is not given. */
  baseUrl?: string;
  /** Reads manifests and shards (default `httpShardSource()`; Node files: `nodeShardSource()` from `@spgdataset/core/node`). */
  source?: ShardSource;
  /** This process's rank in [0, worldSize) (default 0). */
  rank?: number;
  /** Processes sharing the data (default 1). */
  worldSize?: number;
  /** This loader worker's id in [0, numWorkers) within the rank (default 0). */
  workerId?: number;
  /** Loader workers per rank, each with its own iterator (default 1). */
  numWorkers?: number;
  /**
   * Shuffle: the shard order changes every epoch (seeded by `seed` and the epoch) and a buffer of
   * `buffer` items mixes items across shards. Omit (or false) to read in manifest order.
   */
  shuffle?: { buffer: number; seed: number } | false;
  /** The epoch to start in (default 0). */
  epoch?: number;
  /**
   * Equal item counts for every rank and worker: `'repeat'` (default) pads short shares with
   * repeats of their own first items, `'drop'` cuts long shares to the shortest.
   */
  pad?: 'repeat' | 'drop';
  /** Check each sample's sha256 before handing it out (default true; Web Crypto, run concurrently). */
  verify?: boolean;
  /**
   * The SHA-256 used to verify samples (default `defaultDigest`: Web Crypto, or @noble/hashes where
   * there is none). In Node, `nodeDigest` from `@spgdataset/core/node` is faster on few cores.
   */
  digest?: AsyncDigest;
  /** Items read (and verified) ahead of the one the loop is waiting for (default 64). */
  readAhead?: number;
}

/** Where an interrupted epoch stands; small JSON. Give it to `resume` (in any process) to go on. */
export interface ShardedState {
  version: 1;
  /** Fingerprint of the manifest read. */
  manifest: string;
  rank: number;
  worldSize: number;
  workerId: number;
  numWorkers: number;
  shuffle: { buffer: number; seed: number } | null;
  pad: 'repeat' | 'drop';
  epoch: number;
  /** Items of the epoch already handed out. */
  consumed: number;
}

export interface ShardBatchesOptions<B> {
  /** Leave out the last batch of the epoch when it is smaller than the batch size (default false). */
  dropLast?: boolean;
  /** Items -> batch (default `defaultCollate`, as the DataLoader). */
  collate?: (items: ShardItem[]) => B;
}

function resolveLocation(base: string, name: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(base) && !/^[a-z]:[\\/]/i.test(base)) return new URL(name, base).href;
  const cut = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
  return `${base.slice(0, cut + 1)}${name}`;
}

function checkOptions(o: OpenShardedDatasetOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const whole = (name: string, value: number | undefined, min: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min))
      issues.push({ path: name, message: `got ${value}; use a whole number >= ${min}` });
  };
  whole('worldSize', o.worldSize, 1);
  whole('numWorkers', o.numWorkers, 1);
  whole('epoch', o.epoch, 0);
  whole('readAhead', o.readAhead, 0);
  const worldSize = o.worldSize ?? 1;
  const numWorkers = o.numWorkers ?? 1;
  if (o.rank !== undefined && !(Number.isInteger(o.rank) && o.rank >= 0 && o.rank < worldSize))
    issues.push({
      path: 'rank',
      message: `got ${o.rank}; use a whole number in [0, worldSize - 1 = ${worldSize - 1}]`,
    });
  if (
    o.workerId !== undefined &&
    !(Number.isInteger(o.workerId) && o.workerId >= 0 && o.workerId < numWorkers)
  )
    issues.push({
      path: 'workerId',
      message: `got ${o.workerId}; use a whole number in [0, numWorkers - 1 = ${numWorkers - 1}]`,
    });
  if (o.pad !== undefined && o.pad !== 'repeat' && o.pad !== 'drop')
    issues.push({ path: 'pad', message: `got ${String(o.pad)}; use 'repeat' or 'drop'` });
  if (o.shuffle) {
    whole('shuffle.buffer', o.shuffle.buffer, 0);
    if (!Number.isInteger(o.shuffle.seed))
      issues.push({ path: 'shuffle.seed', message: `got ${o.shuffle.seed}; use a whole number` });
  }
  return issues;
}

/**
 * Opens an export made by `exportShards` for streaming: reads and validates the manifest, then
 * returns a `ShardedDataset` (an async iterable of one epoch's items for this rank and worker).
 *
 * @example
 * const shards = await openShardedDataset({ manifest: 'https://example.org/train/manifest.json', rank, worldSize, shuffle: { buffer: 1000, seed: 0 } });
 * for await (const batch of shards.batches(64)) train(batch);
 */
export async function openShardedDataset(options: OpenShardedDatasetOptions): Promise<ShardedDataset> {
  const issues = checkOptions(options);
  if (issues.length) throw new SpgConfigError(issues, 'SPG_CONFIG_SHARDS');
  const source = options.source ?? httpShardSource();
  let manifest: ShardManifest;
  let base = options.baseUrl;
  if (typeof options.manifest === 'string') {
    const where = options.manifest;
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(await readAllBytes(source, where)));
    } catch (error) {
      if (SpgShardError.isInstance(error)) throw error;
      throw new SpgShardError(
        'SPG_SHARD_MANIFEST_INVALID',
        `Manifest ${where} is not JSON (${(error as Error).message}). Point manifest at the manifest.json an export wrote.`,
        { url: where },
        { cause: error },
      );
    }
    manifest = parseShardManifest(json, where);
    base ??= where;
  } else {
    manifest = parseShardManifest(options.manifest, 'manifest (object)');
  }
  if (options.urls && options.urls.length !== manifest.shards.length)
    throw new SpgConfigError(
      [
        {
          path: 'urls',
          message: `has ${options.urls.length} entries; the manifest lists ${manifest.shards.length} shards, so give one URL per shard`,
        },
      ],
      'SPG_CONFIG_SHARDS',
    );
  if (!options.urls && base === undefined && manifest.shards.length > 0)
    throw new SpgConfigError(
      [
        {
          path: 'baseUrl',
          message:
            'the manifest is an object, so say where its shards are: give baseUrl (the folder or URL of manifest.json) or urls',
        },
      ],
      'SPG_CONFIG_SHARDS',
    );
  const urls = options.urls ?? manifest.shards.map((s) => resolveLocation(base!, s.name));
  return new ShardedDataset(manifest, urls, source, options);
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
    const mine = this.state();
    const issues: ConfigIssue[] = [];
    if (state?.version !== 1)
      issues.push({ path: 'state.version', message: `got ${state?.version}; expected 1` });
    for (const key of ['manifest', 'rank', 'worldSize', 'workerId', 'numWorkers', 'pad'] as const)
      if (state?.[key] !== mine[key])
        issues.push({
          path: `state.${key}`,
          message: `is ${JSON.stringify(state?.[key])}, this stream has ${JSON.stringify(mine[key])}; resume with the options (and manifest) the state was taken with`,
        });
    if (JSON.stringify(state?.shuffle) !== JSON.stringify(mine.shuffle))
      issues.push({
        path: 'state.shuffle',
        message: `is ${JSON.stringify(state?.shuffle)}, this stream has ${JSON.stringify(mine.shuffle)}`,
      });
    if (!Number.isInteger(state?.epoch) || state.epoch < 0)
      issues.push({ path: 'state.epoch', message: `got ${state?.epoch}; use a whole number >= 0` });
    if (!Number.isInteger(state?.consumed) || state.consumed < 0)
      issues.push({ path: 'state.consumed', message: `got ${state?.consumed}; use a whole number >= 0` });
    else if (Number.isInteger(state?.epoch) && state.consumed > this.plan(state.epoch).count)
      issues.push({
        path: 'state.consumed',
        message: `got ${state.consumed}, but epoch ${state.epoch} has ${this.plan(state.epoch).count} items here`,
      });
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

/** Reads the input positions a consumer still needs, in increasing order, reusing an open shard stream. */
class PositionReader {
  readonly #plan: ShardPlan;
  readonly #pending: number[];
  #pendingAt = 0;
  #from: number;
  readonly #open: (target: ShardTarget) => ShardStream;
  readonly #targets: readonly ShardTarget[];
  #stream: ShardStream | undefined;

  /** Reads `pending` (ascending, below `from`) first, then every position from `from` on. */
  constructor(
    plan: ShardPlan,
    pending: number[],
    from: number,
    open: (target: ShardTarget) => ShardStream,
    targets: readonly ShardTarget[],
  ) {
    this.#plan = plan;
    this.#pending = pending;
    this.#from = from;
    this.#open = open;
    this.#targets = targets;
  }

  /** The next position `read` returns (>= plan.count when none is left). */
  get next(): number {
    return this.#pendingAt < this.#pending.length ? this.#pending[this.#pendingAt]! : this.#from;
  }

  async read(): Promise<[number, Promise<ShardItem>]> {
    const position = this.next;
    if (this.#pendingAt < this.#pending.length) this.#pendingAt++;
    else this.#from++;
    const { shard, offset } = this.#plan.at(position);
    if (!this.#stream || this.#stream.shard.index !== shard || this.#stream.nextIndex > offset) {
      await this.#stream?.close();
      this.#stream = this.#open(this.#targets[shard]!);
    }
    const { item } = await this.#stream.take(offset);
    if (offset === this.#stream.shard.items - 1) {
      const stream = this.#stream;
      this.#stream = undefined;
      await stream.finish();
    }
    return [position, item];
  }

  async close(): Promise<void> {
    await this.#stream?.close();
    this.#stream = undefined;
  }
}

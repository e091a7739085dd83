import { shuffledIndices } from '../loader/shuffled-indices';

/** How the items of an epoch are shared out; see `shardPlan`. */
export interface ShardPlanOptions {
  /** Items of each shard, in manifest order. */
  shardItems: readonly number[];
  rank: number;
  worldSize: number;
  workerId: number;
  numWorkers: number;
  epoch: number;
  /** Seed of the per-epoch shard order; undefined keeps the manifest order. */
  seed: number | undefined;
  /** Equal counts: `'repeat'` pads short consumers with their own first items, `'drop'` cuts long ones. */
  pad: 'repeat' | 'drop';
}

/** One consumer's (rank, loader worker) share of one epoch. */
export interface ShardPlan {
  /**
   * `'shards'`: each consumer reads whole shards of its own. `'items'` (fewer shards than
   * consumers): every consumer reads every shard and keeps every `consumers`-th item.
   */
  split: 'shards' | 'items';
  /** worldSize * numWorkers. */
  consumers: number;
  /** This consumer: rank * numWorkers + workerId. */
  consumer: number;
  /** Items every consumer yields this epoch. */
  count: number;
  /** The shards this consumer reads, in order (manifest indices). */
  shards: readonly number[];
  /** Shard (manifest index) and sample index in it of input position `p`, 0 <= p < count. */
  at(p: number): { shard: number; offset: number };
}

/** Index of the segment holding `x` among segments starting at `starts` (ascending, starts[0] = 0). */
function segmentOf(starts: Float64Array, x: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function starts(order: readonly number[], items: readonly number[]): Float64Array {
  const out = new Float64Array(order.length);
  let at = 0;
  order.forEach((s, i) => {
    out[i] = at;
    at += items[s]!;
  });
  return out;
}

/**
 * Deterministic share-out of one epoch. Every consumer computes the same epoch shard order (seeded
 * by (seed, epoch)), then:
 * - with at least as many shards as consumers, shards are dealt in that order to the consumer with
 *   the fewest items so far (ties to the lowest id), so loads differ by at most one shard;
 * - with fewer shards than consumers, each consumer takes the items at positions
 *   `consumer, consumer + C, ...` of the concatenated epoch order (C = worldSize * numWorkers).
 * Every consumer yields the same `count`: with `'repeat'` the largest share (short consumers wrap
 * around to their own first items), with `'drop'` the smallest (long consumers stop early).
 */
export function shardPlan(options: ShardPlanOptions): ShardPlan {
  const { shardItems, rank, worldSize, workerId, numWorkers, epoch, seed, pad } = options;
  const consumers = worldSize * numWorkers;
  const consumer = rank * numWorkers + workerId;
  const shardCount = shardItems.length;
  const order =
    seed === undefined
      ? Array.from({ length: shardCount }, (_, i) => i)
      : Array.from(shuffledIndices(shardCount, seed, epoch));
  const total = shardItems.reduce((a, b) => a + b, 0);

  if (shardCount >= consumers && shardCount > 0) {
    const loads = new Float64Array(consumers);
    const mine: number[] = [];
    for (const s of order) {
      let best = 0;
      for (let c = 1; c < consumers; c++) if (loads[c]! < loads[best]!) best = c;
      loads[best]! += shardItems[s]!;
      if (best === consumer) mine.push(s);
    }
    const own = loads[consumer]!;
    const count = pad === 'repeat' ? Math.max(...loads) : Math.min(...loads);
    const at0 = starts(mine, shardItems);
    return {
      split: 'shards',
      consumers,
      consumer,
      count,
      shards: mine,
      at: (p) => {
        const q = p % own;
        const i = segmentOf(at0, q);
        return { shard: mine[i]!, offset: q - at0[i]! };
      },
    };
  }

  const count = pad === 'repeat' ? Math.ceil(total / consumers) : Math.floor(total / consumers);
  const at0 = starts(order, shardItems);
  return {
    split: 'items',
    consumers,
    consumer,
    count: total === 0 ? 0 : count,
    shards: order,
    at: (p) => {
      const g = (consumer + p * consumers) % total;
      const i = segmentOf(at0, g);
      return { shard: order[i]!, offset: g - at0[i]! };
    },
  };
}

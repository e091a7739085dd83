// Properties of the per-epoch share-out and of the shuffle order, on shard item counts alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShuffleOrder, shardPlan } from '../src/index';

type Pad = 'repeat' | 'drop';

function shares(
  shardItems: number[],
  worldSize: number,
  numWorkers: number,
  epoch: number,
  seed: number | undefined,
  pad: Pad,
) {
  const plans = [];
  for (let rank = 0; rank < worldSize; rank++)
    for (let workerId = 0; workerId < numWorkers; workerId++)
      plans.push(shardPlan({ shardItems, rank, worldSize, workerId, numWorkers, epoch, seed, pad }));
  return plans.map((plan) => ({
    plan,
    refs: Array.from({ length: plan.count }, (_, p) => {
      const { shard, offset } = plan.at(p);
      return `${shard}:${offset}`;
    }),
  }));
}

const arbitraryCase = fc.record({
  shardItems: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 20 }),
  worldSize: fc.constantFrom(1, 2, 3, 8),
  numWorkers: fc.constantFrom(1, 2, 3),
  epoch: fc.integer({ min: 0, max: 5 }),
  seed: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
});

describe('shardPlan', () => {
  it("'drop': every consumer gets the same count, no item twice, nothing outside the dataset", () => {
    fc.assert(
      fc.property(arbitraryCase, ({ shardItems, worldSize, numWorkers, epoch, seed }) => {
        const all = new Set(shardItems.flatMap((n, s) => Array.from({ length: n }, (_, o) => `${s}:${o}`)));
        const got = shares(shardItems, worldSize, numWorkers, epoch, seed, 'drop');
        const counts = new Set(got.map((g) => g.refs.length));
        expect(counts.size).toBe(1);
        const refs = got.flatMap((g) => g.refs);
        expect(new Set(refs).size).toBe(refs.length);
        for (const r of refs) expect(all.has(r)).toBe(true);
        const consumers = worldSize * numWorkers;
        const total = all.size;
        if (shardItems.length < consumers)
          expect(refs.length).toBe(Math.floor(total / consumers) * consumers);
      }),
      { numRuns: 400 },
    );
  });

  it("'repeat': every consumer gets the same count and every item appears at least once", () => {
    fc.assert(
      fc.property(arbitraryCase, ({ shardItems, worldSize, numWorkers, epoch, seed }) => {
        const total = shardItems.reduce((a, b) => a + b, 0);
        const got = shares(shardItems, worldSize, numWorkers, epoch, seed, 'repeat');
        const consumers = worldSize * numWorkers;
        const count = got[0]!.refs.length;
        for (const g of got) expect(g.refs.length).toBe(count);
        const refs = got.flatMap((g) => g.refs);
        const seen = new Map<string, number>();
        for (const r of refs) seen.set(r, (seen.get(r) ?? 0) + 1);
        expect(seen.size).toBe(total);
        if (shardItems.length < consumers) {
          // Items split: fewer than `consumers` repeats, spread evenly (counts differ by at most one).
          expect(count).toBe(Math.ceil(total / consumers));
          expect(refs.length - total).toBeLessThan(consumers);
          expect(Math.max(...seen.values()) - Math.min(...seen.values())).toBeLessThanOrEqual(1);
        } else {
          // Shards dealt: a consumer first reads all of its own items once, then wraps to its start.
          const loads = got.map((g) => g.plan.shards.reduce((n, s) => n + shardItems[s]!, 0));
          expect(count).toBe(Math.max(...loads));
          for (const [c, g] of got.entries()) {
            const own = g.refs.slice(0, loads[c]);
            expect(new Set(own).size).toBe(loads[c]);
            expect(g.refs.slice(loads[c])).toEqual(g.refs.slice(0, count - loads[c]!));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('with at least as many shards as consumers, shards are dealt whole and loads differ by at most one shard', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ shardItems, worldSize, numWorkers, epoch, seed }) => {
        const consumers = worldSize * numWorkers;
        fc.pre(shardItems.length >= consumers);
        const got = shares(shardItems, worldSize, numWorkers, epoch, seed, 'repeat');
        expect(got.every((g) => g.plan.split === 'shards')).toBe(true);
        const dealt = got.flatMap((g) => g.plan.shards).sort((a, b) => a - b);
        expect(dealt).toEqual(shardItems.map((_, s) => s));
        const loads = got.map((g) => g.plan.shards.reduce((n, s) => n + shardItems[s]!, 0));
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(Math.max(...shardItems));
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic for (seed, epoch) and reshuffles the shard order across epochs', () => {
    const shardItems = Array.from({ length: 40 }, (_, i) => 10 + (i % 7));
    const a = shares(shardItems, 3, 2, 4, 7, 'repeat').map((g) => g.refs);
    const b = shares(shardItems, 3, 2, 4, 7, 'repeat').map((g) => g.refs);
    expect(a).toEqual(b);
    const orders = new Set(
      [0, 1, 2, 3].map((e) =>
        JSON.stringify(
          shardPlan({
            shardItems,
            rank: 0,
            worldSize: 1,
            workerId: 0,
            numWorkers: 1,
            epoch: e,
            seed: 7,
            pad: 'repeat',
          }).shards,
        ),
      ),
    );
    expect(orders.size).toBe(4);
    // Without a seed, the manifest order every epoch.
    const plain = shardPlan({
      shardItems,
      rank: 0,
      worldSize: 1,
      workerId: 0,
      numWorkers: 1,
      epoch: 3,
      seed: undefined,
      pad: 'repeat',
    });
    expect(plain.shards).toEqual(shardItems.map((_, i) => i));
  });
});

describe('ShuffleOrder', () => {
  it('emits a permutation; after any k steps, emitted and buffered inputs partition [0, inputs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 64 }),
        fc.integer(),
        fc.nat(),
        (count, buffer, seed, stop) => {
          const order = new ShuffleOrder(count, buffer, seed);
          const emitted: number[] = [];
          const k = count === 0 ? 0 : stop % (count + 1);
          for (let i = 0; i < k; i++) emitted.push(order.next());
          const pending = order.pending();
          const union = [...emitted, ...pending].sort((x, y) => x - y);
          expect(union).toEqual(Array.from({ length: order.inputs }, (_, i) => i));
          expect(pending.length).toBeLessThanOrEqual(Math.max(1, buffer));
          for (let p = order.next(); p >= 0; p = order.next()) emitted.push(p);
          expect([...emitted].sort((x, y) => x - y)).toEqual(Array.from({ length: count }, (_, i) => i));
          // Replaying from the same seed gives the same order.
          const again = new ShuffleOrder(count, buffer, seed);
          expect(Array.from({ length: count }, () => again.next())).toEqual(emitted);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the input order with a buffer of 0 or 1, and mixes with a larger one', () => {
    for (const buffer of [0, 1]) {
      const order = new ShuffleOrder(20, buffer, 3);
      expect(Array.from({ length: 20 }, () => order.next())).toEqual(Array.from({ length: 20 }, (_, i) => i));
    }
    const order = new ShuffleOrder(1000, 100, 3);
    const out = Array.from({ length: 1000 }, () => order.next());
    const displaced = out.filter((p, i) => p !== i).length;
    expect(displaced).toBeGreaterThan(900);
  });
});

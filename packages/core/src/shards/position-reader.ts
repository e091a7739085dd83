import type { ShardPlan } from './shard-plan';
import type { ShardStream, ShardTarget } from './shard-reader';
import type { ShardItem } from './shard-sample';

/** Reads the input positions a consumer still needs, in increasing order, reusing an open shard stream. */
export class PositionReader {
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

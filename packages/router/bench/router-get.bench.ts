// Router `get` overhead over a direct member `get`, 1,000 members (docs/behaviour.md#router, issue 8).
// Run: pnpm --filter @spgdataset/router bench   (options: --rounds N --members N)
//
// Members are fakes answering with a precomputed item, so the router's own cost is not hidden by
// real work; the last row copies an 80x192 window per get for scale. "no label" rows (label: null)
// measure the index lookup; "label offset" rows add the relabelled copy, which needs one extra
// promise step (a value inside a promise can only be changed in a then/await).
// Both sides read the same items in the same order and await every get, as a data loader does.
// "direct" calls the owning member with a (dataset, local index) pair computed beforehand;
// "router" calls router.get(global index). Rounds interleave the two (alternating which goes first)
// and the table reports medians, so machine noise hits both sides alike.
import type { Item, OutputConfiguration, ReadableDataset } from '@spgdataset/core';
import { SpectrogramDatasetRouter } from '../src/index';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const MEMBERS = flag('members', 1000);
const ROUNDS = flag('rounds', 21);
const WARMUP_ROUNDS = 3;

const UNLABELLED: OutputConfiguration = { audio: false, spectrogram: true, masks: [], meta: [], label: null };
const LABELLED: OutputConfiguration = { ...UNLABELLED, label: 'kind' };

/** A member that answers with a precomputed item (the cheapest possible get, so overhead shows). */
class FakeDataset implements ReadableDataset {
  readonly classes: string[];
  readonly outputConfiguration: OutputConfiguration;
  constructor(
    readonly length: number,
    protected readonly source: Item,
    /** Copy an 80x192 window per get, as a dataset serving from its spectrogram cache does. */
    private readonly copyWindow = false,
  ) {
    const labelled = source.label !== undefined;
    this.classes = labelled ? ['k'] : [];
    this.outputConfiguration = labelled ? LABELLED : UNLABELLED;
  }
  get(index: number): Promise<Item> {
    return this.answer(index, this.source);
  }
  protected async answer(index: number, item: Item): Promise<Item> {
    if (!(index >= 0 && index < this.length)) throw new RangeError(`index ${index}`);
    if (this.copyWindow) return { ...item, spectrogram: { data: source.slice(), shape: [80, 192] } };
    return item;
  }
  setMode(): void {}
}

/**
 * A member that also relabels while making its item, as core's SpectrogramDataset does: the item
 * with the mapped label is made once per map (the dataset likewise keeps its per-file labels
 * mapped through the last map), so `getRelabeled` costs what `get` costs.
 */
class RelabellingFakeDataset extends FakeDataset {
  private lastMap: Int32Array | undefined;
  private relabeled: Item | undefined;
  getRelabeled(index: number, labelMap: Int32Array): Promise<Item> {
    if (labelMap !== this.lastMap) {
      this.relabeled = { ...this.source, label: labelMap[this.source.label!]! };
      this.lastMap = labelMap;
    }
    return this.answer(index, this.relabeled!);
  }
}

// Deterministic member lengths 500..1499 (~1M items in all) and a shuffled visiting order.
let state = 12345;
const random = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 2 ** 32;
};
const lengths = Array.from({ length: MEMBERS }, () => 500 + Math.floor(random() * 1000));
const total = lengths.reduce((a, b) => a + b, 0);
const spectrogram = { data: new Float32Array(80 * 192), shape: [80, 192] };

const source = new Float32Array(80 * 192).fill(0.5);

function members(withLabel: boolean, copyWindow: boolean, relabels: boolean): FakeDataset[] {
  const Member = relabels ? RelabellingFakeDataset : FakeDataset;
  return lengths.map(
    (n) => new Member(n, withLabel ? { spectrogram, label: 0 } : { spectrogram }, copyWindow),
  );
}

const sequential = new Float64Array(total).map((_, i) => i);
const shuffled = sequential.slice();
for (let k = total - 1; k > 0; k--) {
  const j = Math.floor(random() * (k + 1));
  [shuffled[k], shuffled[j]] = [shuffled[j]!, shuffled[k]!];
}

interface Case {
  name: string;
  /** Gets per side per round. */
  count: number;
  direct: () => Promise<void>;
  router: () => Promise<void>;
}

function makeCase(
  name: string,
  order: Float64Array,
  withLabel: boolean,
  { copyWindow = false, relabels = true } = {},
): Case {
  // Window copies cost microseconds each: visit the first 20,000 positions of the order, not all.
  const count = copyWindow ? 20_000 : total;
  const datasets = members(withLabel, copyWindow, relabels);
  const router = new SpectrogramDatasetRouter(datasets);
  // The direct side gets its (dataset, local) pairs for free: computed here, outside the timing.
  const starts = new Float64Array(MEMBERS + 1);
  for (let d = 0; d < MEMBERS; d++) starts[d + 1] = starts[d]! + lengths[d]!;
  const owner = new Uint32Array(total);
  for (let d = 0; d < MEMBERS; d++) owner.fill(d, starts[d]!, starts[d + 1]!);
  const pairDataset = new Uint32Array(total);
  const pairLocal = new Float64Array(total);
  order.forEach((global, k) => {
    pairDataset[k] = owner[global]!;
    pairLocal[k] = global - starts[owner[global]!]!;
  });
  let sink = 0;
  return {
    name,
    count,
    async direct() {
      for (let k = 0; k < count; k++) {
        const item = await datasets[pairDataset[k]!]!.get(pairLocal[k]!);
        sink += item.label ?? 1;
      }
      if (sink < 0) console.log(sink);
    },
    async router() {
      for (let k = 0; k < count; k++) {
        const item = await router.get(order[k]!);
        sink += item.label ?? 1;
      }
      if (sink < 0) console.log(sink);
    },
  };
}

async function timeNs(run: () => Promise<void>, count: number): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / count;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const cases = [
  makeCase('sequential, no label', sequential, false),
  makeCase('shuffled, no label', shuffled, false),
  makeCase('sequential, label offset', sequential, true),
  makeCase('shuffled, label offset', shuffled, true),
  // Members without getRelabeled: the router maps a copy of each item, one promise step later.
  makeCase('shuffled, label offset, member without getRelabeled', shuffled, true, { relabels: false }),
  // Context, not the acceptance case: a get that does a cached dataset's least work (copy a window).
  makeCase('shuffled, label offset, window copy', shuffled, true, { copyWindow: true }),
];

console.log(
  `router get overhead: ${MEMBERS} members, ${total} items, ${ROUNDS} rounds (+${WARMUP_ROUNDS} warm-up), node ${process.version}`,
);
const rows = [];
for (const c of cases) {
  const direct: number[] = [];
  const routed: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
    const [first, second] = r % 2 === 0 ? [c.direct, c.router] : [c.router, c.direct];
    const a = await timeNs(first, c.count);
    const b = await timeNs(second, c.count);
    const [d, t] = r % 2 === 0 ? [a, b] : [b, a];
    if (r < WARMUP_ROUNDS) continue;
    direct.push(d);
    routed.push(t);
    ratios.push(t / d);
  }
  rows.push({
    case: c.name,
    'ns/get direct': median(direct).toFixed(1),
    'ns/get via router': median(routed).toFixed(1),
    'overhead % (median of round ratios)': ((median(ratios) - 1) * 100).toFixed(2),
    'round ratio range %': `${((Math.min(...ratios) - 1) * 100).toFixed(1)} .. ${((Math.max(...ratios) - 1) * 100).toFixed(1)}`,
  });
}
console.table(rows);

import {
  type ConfigIssue,
  type Item,
  type ItemLocation,
  type OutputConfiguration,
  type ReadableDataset,
  SpgConfigError,
  SplitModes,
} from '@spgdataset/core';
import { bucketSlots, SLOTS_PER_BUCKET } from './bucket-slots';
import { memberRoutes, type ReadHow, type Route } from './member-route';
import { outputConfigurationDifferences } from './output-configuration-differences';
import { type LabelRule, routerLabels } from './router-labels';
import { SegmentIndex } from './segment-index';
import { weightedSample } from './weighted-sample';

export interface SpectrogramDatasetRouterOptions {
  /** 'offset' (default, the seed's rule) or 'merge' (equal class names share one label). */
  labels?: LabelRule;
  /**
   * Relative share of each dataset in `sampleIndices` (one finite number >= 0 per dataset, not all
   * 0). Without weights, `sampleIndices` weighs each dataset by its length.
   */
  weights?: readonly number[];
}

/** Where router item `i` comes from: member `dataset`, item `index` of it, and its own location. */
export interface RouterLocation {
  dataset: number;
  index: number;
  /** The member's `locate(index)`, when the member has a `locate` method. */
  location?: ItemLocation | RouterLocation;
}

/** The item with its label mapped through `map` (a copy: members may reuse their items). */
function relabel(item: Item, map: Int32Array, dataset: number): Item {
  if (item.label === undefined) return item;
  const label = map[item.label];
  if (label === undefined) {
    throw new RangeError(
      `dataset ${dataset} returned label ${item.label}, outside its ${map.length} classes`,
    );
  }
  return { ...item, label };
}

function optionIssues(count: number, options: SpectrogramDatasetRouterOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { labels, weights } = options;
  if (labels !== undefined && labels !== 'offset' && labels !== 'merge') {
    issues.push({ path: 'labels', message: `got ${JSON.stringify(labels)}; use 'offset' or 'merge'` });
  }
  if (weights !== undefined) {
    if (!Array.isArray(weights) || weights.length !== count) {
      issues.push({
        path: 'weights',
        message: `needs one weight per dataset (${count}), got ${Array.isArray(weights) ? weights.length : typeof weights}`,
      });
    } else {
      weights.forEach((w, d) => {
        if (!(typeof w === 'number' && Number.isFinite(w) && w >= 0)) {
          issues.push({ path: `weights[${d}]`, message: `got ${w}; use a finite number >= 0` });
        }
      });
      if (issues.length === 0 && !weights.some((w) => w > 0)) {
        issues.push({
          path: 'weights',
          message: 'all weights are 0; give at least one dataset a weight > 0',
        });
      }
    }
  }
  return issues;
}

/**
 * Joins datasets end to end (docs/behaviour.md#router): item `i` is item `i - start[d]` of the dataset `d` whose
 * range holds it, found over cumulative lengths by a bucket table with binary-search fallback
 * (`SegmentIndex`). A router is a `ReadableDataset` itself, so routers nest and the data loader
 * takes either.
 *
 * Lengths are cached. The router's own mode methods invalidate the cache; reading `length` or
 * calling `refresh()` re-reads member lengths, so call one of them after changing a member's mode
 * directly.
 */
export class SpectrogramDatasetRouter extends SplitModes implements ReadableDataset {
  readonly datasets: readonly ReadableDataset[];
  readonly classes: readonly string[];
  readonly outputConfiguration: OutputConfiguration;
  readonly labels: LabelRule;
  readonly weights: readonly number[] | undefined;

  private readonly members: ReadableDataset[];
  /** Per member: local -> global label, or undefined when labels pass through. */
  private readonly labelMaps: (Int32Array | undefined)[];
  /** How `get` reads each member. */
  private readonly ownRoutes: Route[];
  /** `bucketSlots` of the current lengths: the table of `get`'s fast path. */
  private slots: (ReadableDataset | ReadHow | number)[] = [];
  /** Routes with label maps composed with an outer router's map (`getRelabeled`), per outer map. */
  private readonly composed = new WeakMap<Int32Array, Route[]>();
  private readonly memberLengths: number[];
  private segments: SegmentIndex;
  private stale = true;

  constructor(datasets: readonly ReadableDataset[], options: SpectrogramDatasetRouterOptions = {}) {
    super();
    const issues: ConfigIssue[] = [];
    if (!Array.isArray(datasets) || datasets.length === 0) {
      issues.push({ path: 'datasets', message: 'a router needs at least one dataset, got none' });
    } else {
      issues.push(...optionIssues(datasets.length, options));
      issues.push(...outputConfigurationDifferences(datasets.map((d) => d.outputConfiguration)));
    }
    if (issues.length > 0) throw new SpgConfigError(issues, 'SPG_CONFIG_ROUTER');

    this.members = [...datasets];
    this.datasets = Object.freeze([...datasets]);
    this.outputConfiguration = datasets[0]!.outputConfiguration;
    this.labels = options.labels ?? 'offset';
    this.weights = options.weights === undefined ? undefined : Object.freeze([...options.weights]);
    const { classes, maps } = routerLabels(
      datasets.map((d) => d.classes),
      this.labels,
    );
    this.classes = Object.freeze(classes);
    // Without a label field items carry no label: skip the relabel step (and its extra promise).
    const labelled = this.outputConfiguration.label !== null;
    this.labelMaps = maps.map((map) => (map === null || !labelled ? undefined : map));
    this.ownRoutes = memberRoutes(this.members, this.labelMaps);
    this.memberLengths = datasets.map(() => 0);
    this.segments = new SegmentIndex(this.memberLengths);
  }

  /** Items in the current mode of every member. Re-reads member lengths (O(datasets)). */
  get length(): number {
    this.refresh();
    return this.segments.total;
  }

  /**
   * Item count of each member in its current mode, in order (a copy). With `weights`, what core's
   * `weightedSampler({ weights: router.weights, lengths: router.lengths })` needs.
   */
  get lengths(): readonly number[] {
    this.refresh();
    return Object.freeze([...this.memberLengths]);
  }

  /** Item `index` of the member holding it; a RangeError (rejected) outside `[0, length)`. */
  get(index: number): Promise<Item> {
    // Fast path (see bucket-slots.ts): the bucket's first member usually holds the index. Anything
    // else (another member, out of range, a pending mode change, a copy to relabel) goes to `read`.
    if (!this.stale) {
      const at = SLOTS_PER_BUCKET * Math.floor(index * this.segments.inverseBucketSize);
      const slots = this.slots;
      const start = slots[at + 2] as number;
      if (index >= start && index < (slots[at + 3] as number) && Number.isInteger(index)) {
        const member = slots[at] as ReadableDataset;
        const how = slots[at + 1] as ReadHow;
        if (how === null) return member.get(index - start);
        if (how !== false) return member.getRelabeled!(index - start, how);
      }
    }
    return this.read(index, this.ownRoutes);
  }

  /**
   * Item `index` with its router label mapped through `labelMap` (one entry per router class), so
   * routers nest without an extra step per level. The composed per-member maps are cached for each
   * `labelMap` array, so pass the same, unchanging array on every call.
   */
  getRelabeled(index: number, labelMap: Int32Array): Promise<Item> {
    if (labelMap.length !== this.classes.length) {
      return Promise.reject(
        new RangeError(
          `label map has ${labelMap.length} entries; this router has ${this.classes.length} classes, so give one per class`,
        ),
      );
    }
    return this.read(index, this.composedRoutes(labelMap));
  }

  /** Member and member index of item `index`, plus the member's own location when it can tell. */
  locate(index: number): RouterLocation {
    if (this.stale) this.rebuild();
    const segments = this.segments;
    if (!(index >= 0 && index < segments.total) || !Number.isInteger(index)) throw this.rangeError(index);
    const dataset = segments.find(index);
    const local = index - segments.starts[dataset]!;
    const member = this.members[dataset] as ReadableDataset & {
      locate?: (i: number) => ItemLocation | RouterLocation;
    };
    return typeof member.locate === 'function'
      ? { dataset, index: local, location: member.locate(local) }
      : { dataset, index: local };
  }

  /**
   * Applies the mode (0 train, 1 validate, 2 test) and fraction to every member; `train()`,
   * `validate()` (`valid`, `eval`) and `test()` call it and return the router.
   */
  setMode(mode: number, fraction?: number): void {
    try {
      for (const member of this.members) member.setMode(mode, fraction);
    } finally {
      this.stale = true;
    }
  }

  /** Re-reads member lengths and rebuilds the index when any changed. */
  refresh(): void {
    if (this.stale || this.members.some((member, d) => member.length !== this.memberLengths[d]))
      this.rebuild();
  }

  /**
   * `count` global indices of the current mode mixing datasets by `weights` (or by length without
   * weights), deterministic for `seed` (mulberry32). Dataset d gives exactly its largest-remainder
   * share of `count`, without repeats until its items run out; the result is shuffled.
   */
  sampleIndices(count: number, seed: number): number[] {
    this.refresh();
    return weightedSample(
      this.memberLengths,
      this.segments.starts,
      this.weights ?? this.memberLengths,
      count,
      seed,
    );
  }

  /** Item `index` of the member holding it, read along that member's route. */
  private read(index: number, routes: readonly Route[]): Promise<Item> {
    if (this.stale) this.rebuild();
    const segments = this.segments;
    if (!(index >= 0 && index < segments.total) || !Number.isInteger(index)) {
      return Promise.reject(this.rangeError(index));
    }
    const d = segments.find(index);
    const local = index - segments.starts[d]!;
    const { member, map, how } = routes[d]!;
    if (how === null) return member.get(local);
    if (how !== false) return member.getRelabeled!(local, how);
    // One shared function behind a per-call arrow: faster than per-member closures (one call site).
    return member.get(local).then((it) => relabel(it, map!, d));
  }

  /** Routes whose maps take member labels to `outer[router label]`, cached per `outer`. */
  private composedRoutes(outer: Int32Array): Route[] {
    let composed = this.composed.get(outer);
    if (composed === undefined) {
      const labelled = this.outputConfiguration.label !== null;
      const maps = this.members.map((member, d) => {
        if (!labelled) return undefined;
        const own = this.labelMaps[d];
        return Int32Array.from(member.classes, (_, local) => outer[own === undefined ? local : own[local]!]!);
      });
      composed = memberRoutes(this.members, maps);
      this.composed.set(outer, composed);
    }
    return composed;
  }

  private rebuild(): void {
    this.members.forEach((member, d) => {
      this.memberLengths[d] = member.length;
    });
    this.segments = new SegmentIndex(this.memberLengths);
    this.slots = bucketSlots(this.segments, this.ownRoutes);
    this.stale = false;
  }

  private rangeError(index: number): RangeError {
    const total = this.segments.total;
    return new RangeError(
      `router index ${index} is out of range; use a whole number in [0, ${total - 1}] (length ${total})`,
    );
  }
}

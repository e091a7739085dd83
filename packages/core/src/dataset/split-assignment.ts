import { SpgConfigError } from '../errors/spg-config-error';
import { seededHash } from './seeded-hash';

/** A group of items that must land in one split: a file, a metadata value, or one window. */
export interface SplitUnit {
  key: string;
  /** Items (kept windows) in the unit. */
  size: number;
}

const tolerance = 1e-9;

/** Throws an `SpgConfigError` naming `split` unless it is a non-empty list of ratios >= 0 summing to 1. */
export function validateSplit(split: readonly number[]): void {
  const shown = JSON.stringify(split);
  if (!Array.isArray(split) || split.length === 0)
    throw new SpgConfigError([
      { path: 'split', message: `must be a non-empty list of ratios, e.g. [1] (got ${shown})` },
    ]);
  const bad = split.findIndex((r) => typeof r !== 'number' || !Number.isFinite(r) || r < 0);
  if (bad >= 0)
    throw new SpgConfigError([
      {
        path: `split[${bad}]`,
        message: `must be a finite ratio >= 0 (got ${JSON.stringify(split[bad])} in ${shown})`,
      },
    ]);
  const sum = split.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > tolerance) {
    const scaled = sum > 0 ? split.map((r) => Number.parseFloat((r / sum).toPrecision(6))) : [1];
    throw new SpgConfigError([
      {
        path: 'split',
        message: `ratios must sum to 1 (got ${shown}, sum ${Number.parseFloat(sum.toPrecision(12))}); e.g. ${JSON.stringify(scaled)}`,
      },
    ]);
  }
}

/**
 * Assigns each unit to a split, deterministically for `seed` (docs/behaviour.md#splits). Units are ordered by a seeded
 * hash of their key and laid end to end; a unit goes to the split whose share of the items holds the
 * unit's midpoint. So no unit is ever divided (no leakage) and split sizes follow the ratios as
 * closely as the unit sizes allow. Returns the split index of each unit, in input order.
 */
export function assignSplits(
  units: readonly SplitUnit[],
  split: readonly number[],
  seed: number,
): Int32Array {
  const out = new Int32Array(units.length);
  if (split.length === 1) return out;
  const total = units.reduce((n, u) => n + u.size, 0);
  const bounds: number[] = [];
  let acc = 0;
  for (const r of split) {
    acc += r;
    bounds.push(acc * total);
  }
  const order = units
    .map((u, i) => ({ i, h: seededHash(seed, u.key), key: u.key }))
    .sort((a, b) => a.h - b.h || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let cumulative = 0;
  for (const { i } of order) {
    const size = units[i]!.size;
    const middle = cumulative + size / 2;
    let k = 0;
    while (k < split.length - 1 && middle >= bounds[k]!) k++;
    // A ratio of 0 never receives items, even when float noise puts a midpoint on its bound.
    while (split[k] === 0 && k > 0) k--;
    out[i] = k;
    cumulative += size;
  }
  return out;
}

const modeNames = ['train', 'validate', 'test'];

/** Name of a mode for messages: train, validate, test, or `mode k`. */
export function modeName(mode: number): string {
  return modeNames[mode] ?? `mode ${mode}`;
}

/** Throws unless `mode` is a split the dataset has and `fraction` is in (0, 1] (docs/behaviour.md#splits). */
export function validateMode(mode: number, split: readonly number[], fraction: number): void {
  if (!Number.isInteger(mode) || mode < 0 || mode >= split.length) {
    const call =
      mode === 0 ? 'train()' : mode === 1 ? 'validate()' : mode === 2 ? 'test()' : `setMode(${mode})`;
    throw new SpgConfigError([
      {
        path: 'mode',
        message: `${call} selects split part ${JSON.stringify(mode)}, but split ${JSON.stringify(split)} has ${split.length} part${split.length === 1 ? '' : 's'} (modes 0..${split.length - 1}); give split at least ${Number.isInteger(mode) && mode >= 0 ? mode + 1 : 1} ratios, e.g. [0.8, 0.1, 0.1] for train/validate/test`,
      },
    ]);
  }
  if (!(typeof fraction === 'number' && fraction > 0 && fraction <= 1)) {
    throw new SpgConfigError([
      { path: 'fraction', message: `must be in (0, 1] (got ${JSON.stringify(fraction)})` },
    ]);
  }
}

/**
 * A deterministic random subset of `ids` (docs/behaviour.md#splits `fraction`), kept in the input order. Subsets are
 * nested: a larger fraction keeps every item a smaller one kept. At least one item is kept when any exist.
 */
export function fractionSubset(ids: Int32Array, fraction: number, seed: number): Int32Array {
  if (fraction >= 1 || ids.length === 0) return ids;
  const count = Math.max(1, Math.floor(fraction * ids.length));
  const ranked = Array.from(ids, (id) => ({ id, h: seededHash(seed ^ 0x5f3759df, String(id)) }));
  ranked.sort((a, b) => a.h - b.h || a.id - b.id);
  const kept = ranked.slice(0, count).map((r) => r.id);
  kept.sort((a, b) => a - b);
  return Int32Array.from(kept);
}

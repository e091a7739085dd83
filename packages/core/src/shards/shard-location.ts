import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { ItemLocation } from '../contracts/item';
import { canonicalJson } from '../fingerprint/canonical-json';

/**
 * Where a shard sample comes from: the item's location, plus `dataset` (outermost first) when it
 * came through routers (`{ dataset, index, location }` locations).
 */
export interface ShardLocation extends ItemLocation {
  dataset?: number[];
}

/** A dataset the exporter can name items of: any `ReadableDataset` with `locate(i)`. */
export interface Locatable {
  locate(index: number): unknown;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/**
 * Flattens `locate(i)`'s answer: a dataset's `{ path, window, startSample, contentRatio }`, or a
 * router's `{ dataset, index, location }` (nested for routers of routers). Throws a TypeError naming
 * the item when the innermost dataset cannot tell a path and window.
 */
export function shardLocation(located: unknown, item: number): ShardLocation {
  const chain: number[] = [];
  let at = located;
  while (isRecord(at) && typeof at.dataset === 'number' && !('path' in at)) {
    chain.push(at.dataset);
    at = at.location;
  }
  if (
    !isRecord(at) ||
    typeof at.path !== 'string' ||
    !Number.isInteger(at.window) ||
    typeof at.startSample !== 'number' ||
    typeof at.contentRatio !== 'number'
  )
    throw new TypeError(
      `item ${item}: locate() gave ${JSON.stringify(located)}; exporting needs a path, window, startSample and contentRatio for every item (a SpectrogramDataset, or a router of them)`,
    );
  const out: ShardLocation = {
    path: at.path,
    window: at.window as number,
    startSample: at.startSample,
    contentRatio: at.contentRatio,
  };
  if (chain.length) out.dataset = chain;
  return out;
}

/**
 * The sample key of a location: the first 16 hex digits of SHA-256 over the canonical JSON of
 * `{ path, window }` (plus `dataset` for router items). Stable across machines and exports, and
 * free of dots (webdataset splits member names at the first dot of the basename).
 */
export function sampleKey(location: ShardLocation): string {
  const named: Record<string, unknown> = { path: location.path, window: location.window };
  if (location.dataset) named.dataset = location.dataset;
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(named)))).slice(0, 16);
}

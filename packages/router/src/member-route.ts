import type { ReadableDataset } from '@spgdataset/core';

/** How a member is read: `null` plain `get`, a label map its `getRelabeled` with it, `false` neither. */
export type ReadHow = Int32Array | null | false;

/**
 * How the router reads a member: the member, the label map applied to its items (undefined: labels
 * pass through) and how to read it (`null`: plain `get`; the map: the member's own `getRelabeled`,
 * no extra promise, no copy; `false`: `get`, then a relabelled copy).
 */
export interface Route {
  readonly member: ReadableDataset;
  readonly map: Int32Array | undefined;
  readonly how: ReadHow;
}

/** One route per member. */
export function memberRoutes(
  members: readonly ReadableDataset[],
  maps: readonly (Int32Array | undefined)[],
): Route[] {
  return members.map((member, d) => {
    const map = maps[d];
    const how = map === undefined ? null : typeof member.getRelabeled === 'function' ? map : false;
    return { member, map, how };
  });
}

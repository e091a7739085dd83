import type { ConfigIssue } from '../errors/spg-config-error';

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

/**
 * What is wrong with resuming from `state` on a stream whose own state is `mine`: a state from
 * another manifest or other options, or a position outside epoch `state.epoch`, which holds
 * `itemsIn(epoch)` items here. Empty when the state fits.
 */
export function resumeIssues(
  state: ShardedState,
  mine: ShardedState,
  itemsIn: (epoch: number) => number,
): ConfigIssue[] {
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
  else if (Number.isInteger(state?.epoch) && state.consumed > itemsIn(state.epoch))
    issues.push({
      path: 'state.consumed',
      message: `got ${state.consumed}, but epoch ${state.epoch} has ${itemsIn(state.epoch)} items here`,
    });
  return issues;
}

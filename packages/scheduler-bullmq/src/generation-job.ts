import type { GenerationTask, SpgErrorJson } from '@spgdataset/core';

/** The queue generation jobs go to unless another name is given. */
export const DEFAULT_QUEUE_NAME = 'spgdataset';

/** BullMQ's key prefix (its default), under which the plans are stored too. */
export const KEY_PREFIX = 'bull';

/** How long a stored plan outlives the last coordinator that refreshed it. */
export const PLAN_TTL_SECONDS = 7 * 24 * 3600;

/** What a failed attempt leaves in the job's data, so the coordinator rethrows the same class. */
export type JobErrorJson = SpgErrorJson | { name: string; message: string };

/**
 * The data of one generation job: the task and the id of its plan, which is stored once per build
 * in Redis (`planKey`) rather than copied into every job: a typical plan is ~0.7 KB of JSON, half as
 * much again as the ~1.3 KB a queued job takes in Redis. `error` is written by a worker before an
 * attempt fails.
 */
export interface GenerationJobData {
  planId: string;
  task: GenerationTask;
  error?: JobErrorJson;
}

/** The Redis key of a stored plan, inside the queue's own key space. */
export function planKey(queueName: string, planId: string): string {
  return `${KEY_PREFIX}:${queueName}:spg:plan:${planId}`;
}

/** The Redis stream BullMQ writes the queue's events to. */
export function eventsKey(queueName: string): string {
  return `${KEY_PREFIX}:${queueName}:events`;
}

import { createHash } from 'node:crypto';
import { cacheKey, canonicalJson, type GenerationPlan, type GenerationTask } from '@spgdataset/core';

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * The BullMQ job id of a task: a hash of its cache key (feature fingerprint, path, size, change token)
 * and of the cache it goes into. The same entry of the same cache is one job however many builds ask
 * for it (BullMQ keeps one job per id), and ids never contain the ':' BullMQ forbids.
 */
export function generationJobId(plan: GenerationPlan, task: GenerationTask): string {
  return `spg-${sha(canonicalJson({ cache: plan.cache, key: cacheKey(task, plan.featureFingerprint).id }))}`;
}

/** The id a plan is stored under in Redis: a hash of its JSON (equal plans share one copy). */
export function planId(plan: GenerationPlan): string {
  return sha(canonicalJson(plan));
}

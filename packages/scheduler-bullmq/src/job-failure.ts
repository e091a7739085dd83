import { type GenerationTask, isSkippableFileError, SpgError, spgErrorFromJSON } from '@spgdataset/core';
import type { JobErrorJson } from './generation-job';

/** What Redis holds about a job that failed for good. */
export interface FailedJob {
  id: string;
  task: GenerationTask;
  /** The error of the last attempt, as the worker stored it (absent when no attempt got that far). */
  error: JobErrorJson | undefined;
  failedReason: string | undefined;
  attemptsMade: number;
}

/**
 * The error a failed job stands for, and whether `onError: 'skip'` may leave its file out: only an
 * `SpgError` of the file itself that the worker raised (undecodable, unreadable) is skippable; a job
 * that kept killing its workers, or failed with a bug, a cache or a configuration error, stops the
 * build. The error keeps its class and code, and always names the file.
 */
export function jobFailure(failed: FailedJob, queueName: string): { error: SpgError; skippable: boolean } {
  const { path } = failed.task;
  const attempts = `${failed.attemptsMade} attempt${failed.attemptsMade === 1 ? '' : 's'}`;
  const where = `queue "${queueName}", job ${failed.id}, ${attempts}`;
  const stored = failed.error;
  if (stored && 'code' in stored) {
    const error = spgErrorFromJSON(stored);
    if (!error.message.includes(path)) error.message = `${error.message} (generating "${path}"; ${where})`;
    return { error, skippable: isSkippableFileError(error) };
  }
  let reason = stored?.message ?? failed.failedReason ?? 'no reason recorded';
  if (/stalled more than/i.test(reason))
    reason = `${reason}: a worker stopped (crashed, was killed or lost Redis) every time it ran this job; check the workers' logs and memory`;
  return {
    error: new SpgError(
      'SPG_SCHEDULER_JOB_FAILED',
      `generating "${path}" failed on the BullMQ workers: ${reason} (${where}).`,
      { file: path, jobId: failed.id, attempts: failed.attemptsMade },
    ),
    skippable: false,
  };
}

import { SpgConfigError } from '@spgdataset/core';
import { DEFAULT_QUEUE_NAME } from './generation-job';

/** A BullMQ queue name: non-empty and without ':' (it is part of Redis keys). */
export function checkQueueName(name: unknown = DEFAULT_QUEUE_NAME, path = 'queueName'): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes(':'))
    throw new SpgConfigError([
      {
        path,
        message: `${JSON.stringify(name)} is not a queue name; use letters, digits, '-' or '_' without ':' (default "${DEFAULT_QUEUE_NAME}")`,
      },
    ]);
  return name;
}

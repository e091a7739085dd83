import { SpgError } from '@spgdataset/core';

/** Redis cannot be reached (refused, unknown host, timeout, wrong password) or was lost for too long. */
export function redisUnreachable(shown: string, why: string): SpgError {
  return new SpgError(
    'SPG_REDIS_UNREACHABLE',
    `cannot reach Redis at ${shown}: ${why}; start redis-server there (Debian: apt-get install redis-server) or pass the URL of a running one (--redis redis://host:6379).`,
    { url: shown },
  );
}

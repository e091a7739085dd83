import { SpgConfigError } from '@spgdataset/core';

/** A checked Redis URL and the form of it that is safe to print (password hidden). */
export interface RedisUrl {
  url: string;
  shown: string;
}

/**
 * Checks that `connection` is a `redis://` or `rediss://` URL with a host, so a typo fails here with
 * the option named rather than as a connection error later. `path` names the option in the error.
 */
export function parseRedisUrl(connection: unknown, path = 'connection'): RedisUrl {
  const example =
    'use redis://host:6379 (rediss:// for TLS; redis://:password@host:6379/0 with a password and db)';
  let url: URL | undefined;
  try {
    url = typeof connection === 'string' ? new URL(connection) : undefined;
  } catch {}
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname)
    throw new SpgConfigError([
      { path, message: `${JSON.stringify(connection)} is not a Redis URL; ${example}` },
    ]);
  const shown = new URL(url.href);
  if (shown.password) shown.password = '***';
  return { url: url.href, shown: shown.href };
}

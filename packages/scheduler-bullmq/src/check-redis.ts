import { SpgError } from '@spgdataset/core';
import { redisUnreachable } from './redis-errors';
import { parseRedisUrl } from './redis-url';

/** BullMQ's own floor for the commands it uses (Debian 12's redis-server is 7.0). */
export const MIN_REDIS_VERSION = '6.2.0';

export interface RedisFacts {
  version: string;
  maxmemoryPolicy: string;
}

/** Whether dotted version `a` is at least `b` (missing parts count as 0). */
export function versionAtLeast(a: string, b: string): boolean {
  const x = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const y = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  }
  return true;
}

/** The value of `field` in the text of Redis's INFO command. */
function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/**
 * Checks, before anything is queued, that Redis at `connection` answers within `timeoutMs`, runs a
 * version BullMQ supports (>= 6.2) and never evicts keys (`maxmemory-policy noeviction`: an evicted
 * job would be lost without a trace). Each problem is one `SpgError` naming the URL and the fix;
 * nothing here waits longer than `timeoutMs` (no reconnect loop).
 */
export async function checkRedis(connection: string, timeoutMs = 5000): Promise<RedisFacts> {
  const { url, shown } = parseRedisUrl(connection);
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(redisUnreachable(shown, `no answer within ${timeoutMs} ms`)),
      timeoutMs + 500,
    );
  });
  try {
    const facts = (async () => {
      try {
        await client.connect();
      } catch (error) {
        throw redisUnreachable(shown, (lastError ?? (error as Error)).message);
      }
      let server: string;
      let memory: string;
      try {
        server = await client.info('server');
        memory = await client.info('memory');
      } catch (error) {
        throw redisUnreachable(shown, `INFO failed (${(error as Error).message})`);
      }
      return {
        version: infoField(server, 'redis_version') ?? '0',
        maxmemoryPolicy: infoField(memory, 'maxmemory_policy') ?? 'unknown',
      };
    })();
    const { version, maxmemoryPolicy } = await Promise.race([facts, deadline]);
    if (!versionAtLeast(version, MIN_REDIS_VERSION))
      throw new SpgError(
        'SPG_REDIS_VERSION',
        `Redis at ${shown} is version ${version}; BullMQ needs Redis >= ${MIN_REDIS_VERSION} (Debian 12: apt-get install redis-server gives 7.0).`,
        { url: shown, version },
      );
    if (maxmemoryPolicy !== 'noeviction')
      throw new SpgError(
        'SPG_REDIS_EVICTION',
        `Redis at ${shown} has maxmemory-policy ${maxmemoryPolicy}, so under memory pressure it may delete queued jobs; BullMQ needs noeviction: run \`redis-cli -u ${shown} config set maxmemory-policy noeviction\` and put "maxmemory-policy noeviction" in redis.conf to keep it after a restart.`,
        { url: shown, maxmemoryPolicy },
      );
    return { version, maxmemoryPolicy };
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

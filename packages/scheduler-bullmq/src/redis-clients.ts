import type { Redis } from 'ioredis';

/**
 * Connections for BullMQ objects, made here because BullMQ's ESM build cannot create ioredis clients
 * itself. `maxRetriesPerRequest: null` is what BullMQ requires: commands wait through a reconnect
 * instead of failing (the callers bound how long they wait). Each reports errors to `onError` only
 * (an ioredis client without an 'error' listener prints every reconnect attempt).
 */
export async function redisClients(url: string, connectTimeoutMs: number, onError: (error: Error) => void) {
  const { Redis: RedisClient } = await import('ioredis');
  const made: Redis[] = [];
  return {
    client(): Redis {
      const client = new RedisClient(url, { maxRetriesPerRequest: null, connectTimeout: connectTimeoutMs });
      client.on('error', onError);
      made.push(client);
      return client;
    },
    disconnectAll(): void {
      for (const client of made) client.disconnect();
    },
  };
}

/** `promise`, or a rejection with `error()` after `ms` (for calls that would wait out a lost Redis). */
export function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(error()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

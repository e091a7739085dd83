// Redis problems at start: each is one clear error naming the URL, within a bounded time, from the
// check itself, from a build (bullmqScheduler.run) and from a worker (runBullmqWorker).
import { SpgConfigError, type SpgError } from '@spgdataset/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullmqScheduler, checkRedis, runBullmqWorker, versionAtLeast } from '../src/index';
import { freePort, type RedisServer, redisServerAvailable, startRedisServer } from '../src/testing';

const available = redisServerAvailable();

/** The rejection of `promise` and how long it took. */
async function failure(promise: Promise<unknown>): Promise<{ error: SpgError; ms: number }> {
  const started = performance.now();
  const error = (await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  )) as SpgError;
  return { error, ms: performance.now() - started };
}

const task = { path: 'a.wav', size: 1, changeToken: 'size', length: 1 };
const plan = {
  source: { use: 'core/fs', options: { root: '/nowhere' } },
  decoder: { use: 'core/audio-decode' },
  resampler: { use: 'core/sinc' },
  extractor: { use: 'x/y' },
  cache: { use: 'x/z' },
  modules: [],
  sampleRate: 16000,
  windowSize: 5120,
  windowOffset: 1600,
  dtype: 'float32' as const,
  featureFingerprint: '0123456789abcdef',
};

describe('versionAtLeast', () => {
  it.each([
    ['6.2.0', true],
    ['6.2.14', true],
    ['7.0.15', true],
    ['10.0.0', true],
    ['6.0.16', false],
    ['5.0.7', false],
    ['6.1.99', false],
  ])('%s >= 6.2.0 is %s', (version, ok) => {
    expect(versionAtLeast(version, '6.2.0')).toBe(ok);
  });
});

describe('the connection option', () => {
  it.each(['localhost:6379', 'http://host:6379', '', 'redis://', 'not a url'])(
    '%j is an SpgConfigError naming connection, with an example',
    async (connection) => {
      const attempts: (() => unknown)[] = [
        () => bullmqScheduler({ connection }),
        () => checkRedis(connection),
      ];
      for (const make of attempts) {
        const error = await Promise.resolve()
          .then(make)
          .catch((e: unknown) => e);
        expect(SpgConfigError.isInstance(error)).toBe(true);
        expect((error as SpgConfigError).issues[0]!.path).toBe('connection');
        expect((error as Error).message).toContain('redis://host:6379');
      }
    },
  );
});

describe.skipIf(!available)('Redis at start', () => {
  let good: RedisServer;
  let evicting: RedisServer;
  let locked: RedisServer;
  beforeAll(async () => {
    [good, evicting, locked] = await Promise.all([
      startRedisServer(),
      startRedisServer({ args: ['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru'] }),
      startRedisServer({ args: ['--requirepass', 'sesame'] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([good?.stop(), evicting?.stop(), locked?.stop()]);
  });

  it('a running Redis >= 6.2 with noeviction passes and reports its facts', async () => {
    const facts = await checkRedis(good.url);
    expect(versionAtLeast(facts.version, '6.2.0')).toBe(true);
    expect(facts.maxmemoryPolicy).toBe('noeviction');
  });

  it('nothing listening on the port: SPG_REDIS_UNREACHABLE naming the URL, at once', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    for (const attempt of [
      () => checkRedis(url),
      () => bullmqScheduler({ connection: url }).run({ plan, tasks: [task], onResult: () => {} }),
      () => runBullmqWorker({ connection: url }),
    ]) {
      const { error, ms } = await failure(attempt());
      expect(error.code).toBe('SPG_REDIS_UNREACHABLE');
      expect(error.message).toContain(url);
      expect(error.message).toMatch(/ECONNREFUSED/);
      expect(ms).toBeLessThan(3000);
    }
  });

  it('an unknown host: SPG_REDIS_UNREACHABLE naming it', async () => {
    const { error, ms } = await failure(checkRedis('redis://no-such-host.invalid:6379', 2000));
    expect(error.code).toBe('SPG_REDIS_UNREACHABLE');
    expect(error.message).toContain('redis://no-such-host.invalid:6379');
    expect(ms).toBeLessThan(4000);
  });

  it('a host that never answers: SPG_REDIS_UNREACHABLE within the connect timeout', async () => {
    // TEST-NET-1 (RFC 5737) is never routed: the connection hangs or fails, it never succeeds.
    const { error, ms } = await failure(checkRedis('redis://192.0.2.1:6379', 1000));
    expect(error.code).toBe('SPG_REDIS_UNREACHABLE');
    expect(error.message).toContain('redis://192.0.2.1:6379');
    expect(ms).toBeLessThan(2500);
  });

  it('a wrong password: SPG_REDIS_UNREACHABLE saying so, the password hidden', async () => {
    const url = locked.url.replace('redis://', 'redis://:wrong@');
    const { error } = await failure(checkRedis(url));
    expect(error.code).toBe('SPG_REDIS_UNREACHABLE');
    expect(error.message).toMatch(/WRONGPASS|invalid password/i);
    expect(error.message).not.toContain('wrong@');
    expect((await checkRedis(locked.url.replace('redis://', 'redis://:sesame@'))).maxmemoryPolicy).toBe(
      'noeviction',
    );
  });

  it('maxmemory-policy other than noeviction: SPG_REDIS_EVICTION saying how to set it, from build and worker too', async () => {
    for (const attempt of [
      () => checkRedis(evicting.url),
      () => bullmqScheduler({ connection: evicting.url }).run({ plan, tasks: [task], onResult: () => {} }),
      () => runBullmqWorker({ connection: evicting.url }),
    ]) {
      const { error } = await failure(attempt());
      expect(error.code).toBe('SPG_REDIS_EVICTION');
      expect(error.message).toContain(evicting.url);
      expect(error.message).toContain('allkeys-lru');
      expect(error.message).toContain('config set maxmemory-policy noeviction');
    }
  });
});

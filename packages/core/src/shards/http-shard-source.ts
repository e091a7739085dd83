import { SpgShardError } from '../errors/spg-shard-error';
import { checkShardSize, type ShardOpenOptions, type ShardSource } from './shard-source';

export interface HttpShardSourceOptions {
  /** The fetch to use (default `globalThis.fetch`), e.g. one adding credentials. */
  fetch?: typeof fetch;
  /** Extra attempts after a transient failure (default 4). */
  retries?: number;
  /** Wait before the first retry in ms, doubled on each further one (default 250). */
  backoffMs?: number;
  /** Longest wait between attempts in ms (default 8000). */
  maxBackoffMs?: number;
}

/** Status codes worth another try: the server or a proxy was briefly unable to answer. */
function transientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Network failures (connection refused or reset, socket closed mid-body) are worth another try. */
function transientError(error: unknown): boolean {
  if ((error as Error)?.name === 'AbortError') return false;
  return error instanceof TypeError || typeof (error as { code?: unknown })?.code === 'string';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Streams shards over HTTP(S) with `fetch` (no range requests needed). A transient failure (5xx,
 * 408, 429, a refused or reset connection, a body that ends early) is retried with exponential
 * backoff; when it happens mid-shard, the new response's first bytes (those already delivered) are
 * skipped, so the reader sees one uninterrupted stream. Other statuses (404, 403) fail at once with
 * `SpgShardError` `SPG_SHARD_READ_FAILED`, as does a transient failure that outlasts the retries.
 *
 * @example
 * const shards = await openShardedDataset({ manifest: 'https://example.org/shards/manifest.json', source: httpShardSource() });
 */
export function httpShardSource(options: HttpShardSourceOptions = {}): ShardSource {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retries = options.retries ?? 4;
  const backoffMs = options.backoffMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 8000;
  return {
    open: (url: string, open: ShardOpenOptions = {}) => stream(url, open.bytes),
  };

  async function* stream(url: string, expected: number | undefined): AsyncGenerator<Uint8Array> {
    let delivered = 0;
    let attempt = 0;
    try {
      // Relative URLs are fine in a page (they resolve against it); elsewhere a URL must be absolute.
      new URL(url, (globalThis as { location?: { href?: string } }).location?.href);
    } catch {
      throw new SpgShardError(
        'SPG_SHARD_READ_FAILED',
        `Cannot read shard ${url}: it is not a URL. For local files in Node, pass source: nodeShardSource() (from @spgdataset/core/node), or use spgdataset's openShardedDataset.`,
        { url, offset: 0 },
      );
    }
    const failed = (why: string, cause?: unknown) =>
      new SpgShardError(
        'SPG_SHARD_READ_FAILED',
        `Cannot read shard ${url}: ${why}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}. Check the URL and the server.`,
        { url, offset: delivered },
        { cause },
      );
    const retry = async (why: string, cause?: unknown) => {
      if (attempt >= retries) throw failed(why, cause);
      await sleep(Math.min(maxBackoffMs, backoffMs * 2 ** attempt));
      attempt++;
    };
    for (;;) {
      let response: Response;
      try {
        response = await doFetch(url);
      } catch (error) {
        if (!transientError(error)) throw failed(`GET failed: ${(error as Error)?.message ?? error}`, error);
        await retry(`GET failed: ${(error as Error)?.message ?? error}`, error);
        continue;
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel().catch(() => {});
        const why = `GET answered ${response.status} ${response.statusText}`;
        if (!transientStatus(response.status)) throw failed(why);
        await retry(why);
        continue;
      }
      const length = response.headers.get('content-length');
      if (length !== null && response.headers.get('content-encoding') === null)
        checkShardSize(url, Number(length), expected);
      const reader = response.body.getReader();
      let skip = delivered;
      let ended = false;
      try {
        for (;;) {
          let read: ReadableStreamReadResult<Uint8Array>;
          try {
            read = await reader.read();
          } catch (error) {
            if (!transientError(error)) throw failed(`the body failed: ${(error as Error)?.message}`, error);
            await retry(`the body failed at byte ${delivered}: ${(error as Error)?.message}`, error);
            break;
          }
          if (read.done) {
            ended = true;
            break;
          }
          let chunk = read.value;
          if (skip > 0) {
            if (chunk.length <= skip) {
              skip -= chunk.length;
              continue;
            }
            chunk = chunk.subarray(skip);
            skip = 0;
          }
          delivered += chunk.length;
          yield chunk;
        }
      } finally {
        reader.cancel().catch(() => {});
      }
      if (!ended) continue;
      // A body cut short without an error (e.g. chunked encoding closed early) is retried too.
      if (expected !== undefined && delivered < expected && attempt < retries) {
        await retry(`the body ended at byte ${delivered} of ${expected}`);
        continue;
      }
      return;
    }
  }
}

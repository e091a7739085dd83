import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SpgShardError } from '../errors/spg-shard-error';
import { type HttpShardSourceOptions, httpShardSource } from '../shards/http-shard-source';
import { checkShardSize, type ShardOpenOptions, type ShardSource } from '../shards/shard-source';

export interface NodeShardSourceOptions {
  /** Bytes per file read (default 512 KiB). */
  chunkBytes?: number;
  /** File reads kept in flight ahead of the chunk being parsed (default 4). */
  readsAhead?: number;
  /** Options of the HTTP(S) part (retries, backoff, fetch). */
  http?: HttpShardSourceOptions;
}

/**
 * Shards from local files (paths or `file:` URLs) and, through `httpShardSource`, from `http(s):`
 * URLs. A file whose size differs from the manifest's is reported before any byte is read
 * (`SPG_SHARD_TRUNCATED` when shorter); a missing or unreadable file is `SPG_SHARD_READ_FAILED`.
 *
 * @example
 * const shards = await openShardedDataset({ manifest: 'shards/train/manifest.json', source: nodeShardSource() });
 */
export function nodeShardSource(options: NodeShardSourceOptions = {}): ShardSource {
  const http = httpShardSource(options.http);
  const chunkBytes = options.chunkBytes ?? 512 << 10;
  const readsAhead = options.readsAhead ?? 4;
  return {
    open: (location: string, o: ShardOpenOptions = {}) =>
      /^https?:/i.test(location)
        ? http.open(location, o)
        : fileChunks(location, o.bytes, chunkBytes, readsAhead),
  };
}

async function* fileChunks(
  location: string,
  expected: number | undefined,
  chunkBytes: number,
  inFlight: number,
) {
  const path = location.startsWith('file:') ? fileURLToPath(location) : location;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new SpgShardError(
      'SPG_SHARD_READ_FAILED',
      `Cannot read shard ${location}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the path (shard names are relative to manifest.json).`,
      { url: location },
      { cause: error },
    );
  }
  try {
    const size = (await handle.stat()).size;
    checkShardSize(location, size, expected);
    // Buffers take turns: `inFlight` reads stay ahead of the chunk the reader works on. The reader
    // is done with a chunk when it asks for the next one (ShardSource's contract), so the buffer it
    // came in can be refilled then, and no memory is allocated per read.
    const buffers = Array.from({ length: inFlight + 1 }, () =>
      Buffer.allocUnsafe(Math.min(chunkBytes, size)),
    );
    let turn = 0;
    let position = 0;
    const read = () => {
      const length = Math.min(chunkBytes, size - position);
      if (length <= 0) return undefined;
      const buffer = buffers[turn]!;
      turn = (turn + 1) % buffers.length;
      const at = position;
      position += length;
      const pending = handle
        .read(buffer, 0, length, at)
        .then(({ bytesRead }) => new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead));
      pending.catch(() => {});
      return pending;
    };
    const queue: Promise<Uint8Array>[] = [];
    const fill = () => {
      while (queue.length < inFlight) {
        const next = read();
        if (!next) break;
        queue.push(next);
      }
    };
    fill();
    while (queue.length) {
      const chunk = await queue.shift()!;
      if (chunk.length === 0) return;
      fill();
      yield chunk;
    }
  } finally {
    await handle.close();
  }
}

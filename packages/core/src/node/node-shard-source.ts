import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SpgShardError } from '../errors/spg-shard-error';
import { type HttpShardSourceOptions, httpShardSource } from '../shards/http-shard-source';
import { checkShardSize, type ShardOpenOptions, type ShardSource } from '../shards/shard-source';

export interface NodeShardSourceOptions {
  /** Bytes per file read (default 1 MiB). */
  chunkBytes?: number;
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
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  return {
    open: (location: string, o: ShardOpenOptions = {}) =>
      /^https?:/i.test(location) ? http.open(location, o) : fileChunks(location, o.bytes, chunkBytes),
  };
}

async function* fileChunks(location: string, expected: number | undefined, chunkBytes: number) {
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
    checkShardSize(location, (await handle.stat()).size, expected);
    let position = 0;
    for (;;) {
      // A fresh buffer per read: the tar parser keeps chunks until it has consumed them.
      const buffer = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

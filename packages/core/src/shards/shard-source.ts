import { SpgShardError } from '../errors/spg-shard-error';

/** What the shard reader asks of a source besides the location. */
export interface ShardOpenOptions {
  /** The size the manifest gives, when known: a source that learns the real size early compares. */
  bytes?: number;
}

/**
 * Where shard bytes come from: HTTP(S) (`httpShardSource`, any platform with fetch), local files
 * (`nodeShardSource` in `@spgdataset/core/node`), or your own. `open` streams the bytes of one
 * location; the reader stops iterating (calls `return()`) when it has what it needs, and the source
 * must then release the file or connection. The reader is done with a chunk once it asks for the
 * next one (it copies what it keeps), so a source may reuse a chunk's memory from then on.
 */
export interface ShardSource {
  open(location: string, options?: ShardOpenOptions): AsyncIterable<Uint8Array>;
}

/** Throws when a source's known size differs from the manifest's: shorter is truncated, longer corrupt. */
export function checkShardSize(url: string, actual: number, expected: number | undefined): void {
  if (expected === undefined || actual === expected) return;
  if (actual < expected)
    throw new SpgShardError(
      'SPG_SHARD_TRUNCATED',
      `Shard ${url} is truncated at byte ${actual}: it has ${actual} bytes, the manifest says ${expected}. Export or copy the shard again.`,
      { url, offset: actual },
    );
  throw new SpgShardError(
    'SPG_SHARD_CORRUPT',
    `Shard ${url} is corrupt at byte ${expected}: it has ${actual} bytes, the manifest says ${expected}. Export or copy the shard again.`,
    { url, offset: expected },
  );
}

/** All bytes of `location` (for manifests). */
export async function readAllBytes(source: ShardSource, location: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source.open(location)) {
    chunks.push(chunk.slice()); // the source may reuse the chunk's memory

    size += chunk.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

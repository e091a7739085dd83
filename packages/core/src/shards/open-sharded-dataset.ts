import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';
import { SpgShardError } from '../errors/spg-shard-error';
import { httpShardSource } from './http-shard-source';
import { parseShardManifest, type ShardManifest } from './shard-manifest';
import type { AsyncDigest } from './shard-reader';
import { readAllBytes, type ShardSource } from './shard-source';
import { ShardedDataset } from './sharded-dataset';

export interface OpenShardedDatasetOptions {
  /** The export's manifest: the parsed object, or where `manifest.json` is (URL or path, read with `source`). */
  manifest: ShardManifest | string;
  /** Where each shard is, in manifest order (default: the manifest's names next to the manifest, or under `baseUrl`). */
  urls?: readonly string[];
  /** Folder or URL the shard names are relative to, when `manifest` is an object and `urls` is not given. */
  baseUrl?: string;
  /** Reads manifests and shards (default `httpShardSource()`; Node files: `nodeShardSource()` from `@spgdataset/core/node`). */
  source?: ShardSource;
  /** This process's rank in [0, worldSize) (default 0). */
  rank?: number;
  /** Processes sharing the data (default 1). */
  worldSize?: number;
  /** This loader worker's id in [0, numWorkers) within the rank (default 0). */
  workerId?: number;
  /** Loader workers per rank, each with its own iterator (default 1). */
  numWorkers?: number;
  /**
   * Shuffle: the shard order changes every epoch (seeded by `seed` and the epoch) and a buffer of
   * `buffer` items mixes items across shards. Omit (or false) to read in manifest order.
   */
  shuffle?: { buffer: number; seed: number } | false;
  /** The epoch to start in (default 0). */
  epoch?: number;
  /**
   * Equal item counts for every rank and worker: `'repeat'` (default) pads short shares with
   * repeats of their own first items, `'drop'` cuts long shares to the shortest.
   */
  pad?: 'repeat' | 'drop';
  /** Check each sample's sha256 before handing it out (default true; Web Crypto, run concurrently). */
  verify?: boolean;
  /**
   * The SHA-256 used to verify samples (default `defaultDigest`: Web Crypto, or @noble/hashes where
   * there is none). In Node, `nodeDigest` from `@spgdataset/core/node` is faster on few cores.
   */
  digest?: AsyncDigest;
  /** Items read (and verified) ahead of the one the loop is waiting for (default 64). */
  readAhead?: number;
}

function resolveLocation(base: string, name: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(base) && !/^[a-z]:[\\/]/i.test(base)) return new URL(name, base).href;
  const cut = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
  return `${base.slice(0, cut + 1)}${name}`;
}

function checkOptions(o: OpenShardedDatasetOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const whole = (name: string, value: number | undefined, min: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min))
      issues.push({ path: name, message: `got ${value}; use a whole number >= ${min}` });
  };
  whole('worldSize', o.worldSize, 1);
  whole('numWorkers', o.numWorkers, 1);
  whole('epoch', o.epoch, 0);
  whole('readAhead', o.readAhead, 0);
  const worldSize = o.worldSize ?? 1;
  const numWorkers = o.numWorkers ?? 1;
  if (o.rank !== undefined && !(Number.isInteger(o.rank) && o.rank >= 0 && o.rank < worldSize))
    issues.push({
      path: 'rank',
      message: `got ${o.rank}; use a whole number in [0, worldSize - 1 = ${worldSize - 1}]`,
    });
  if (
    o.workerId !== undefined &&
    !(Number.isInteger(o.workerId) && o.workerId >= 0 && o.workerId < numWorkers)
  )
    issues.push({
      path: 'workerId',
      message: `got ${o.workerId}; use a whole number in [0, numWorkers - 1 = ${numWorkers - 1}]`,
    });
  if (o.pad !== undefined && o.pad !== 'repeat' && o.pad !== 'drop')
    issues.push({ path: 'pad', message: `got ${String(o.pad)}; use 'repeat' or 'drop'` });
  if (o.shuffle) {
    whole('shuffle.buffer', o.shuffle.buffer, 0);
    if (!Number.isInteger(o.shuffle.seed))
      issues.push({ path: 'shuffle.seed', message: `got ${o.shuffle.seed}; use a whole number` });
  }
  return issues;
}

/**
 * Opens an export made by `exportShards` for streaming: reads and validates the manifest, then
 * returns a `ShardedDataset` (an async iterable of one epoch's items for this rank and worker).
 *
 * @example
 * const shards = await openShardedDataset({ manifest: 'https://example.org/train/manifest.json', rank, worldSize, shuffle: { buffer: 1000, seed: 0 } });
 * for await (const batch of shards.batches(64)) train(batch);
 */
export async function openShardedDataset(options: OpenShardedDatasetOptions): Promise<ShardedDataset> {
  const issues = checkOptions(options);
  if (issues.length) throw new SpgConfigError(issues, 'SPG_CONFIG_SHARDS');
  const source = options.source ?? httpShardSource();
  let manifest: ShardManifest;
  let base = options.baseUrl;
  if (typeof options.manifest === 'string') {
    const where = options.manifest;
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(await readAllBytes(source, where)));
    } catch (error) {
      if (SpgShardError.isInstance(error)) throw error;
      throw new SpgShardError(
        'SPG_SHARD_MANIFEST_INVALID',
        `Manifest ${where} is not JSON (${(error as Error).message}). Point manifest at the manifest.json an export wrote.`,
        { url: where },
        { cause: error },
      );
    }
    manifest = parseShardManifest(json, where);
    base ??= where;
  } else {
    manifest = parseShardManifest(options.manifest, 'manifest (object)');
  }
  if (options.urls && options.urls.length !== manifest.shards.length)
    throw new SpgConfigError(
      [
        {
          path: 'urls',
          message: `has ${options.urls.length} entries; the manifest lists ${manifest.shards.length} shards, so give one URL per shard`,
        },
      ],
      'SPG_CONFIG_SHARDS',
    );
  if (!options.urls && base === undefined && manifest.shards.length > 0)
    throw new SpgConfigError(
      [
        {
          path: 'baseUrl',
          message:
            'the manifest is an object, so say where its shards are: give baseUrl (the folder or URL of manifest.json) or urls',
        },
      ],
      'SPG_CONFIG_SHARDS',
    );
  const urls = options.urls ?? manifest.shards.map((s) => resolveLocation(base!, s.name));
  return new ShardedDataset(manifest, urls, source, options);
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputConfiguration } from '../contracts/output-configuration';
import type { ProgressCallback } from '../contracts/progress';
import type { ReadableDataset } from '../contracts/readable-dataset';
import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';
import { SpgError } from '../errors/spg-error';
import { fingerprint } from '../fingerprint/fingerprint';
import { shuffledIndices } from '../loader/shuffled-indices';
import { type Locatable, type ShardLocation, sampleKey, shardLocation } from '../shards/shard-location';
import { parseShardManifest, type ShardInfo, type ShardManifest } from '../shards/shard-manifest';
import { encodeShardSample, tensorFields, tensorOf } from '../shards/shard-sample';
import { tarPadding } from '../shards/tar-format';
import { tarEnd, tarHeader } from '../shards/tar-writer';
import { ShardFileWriter } from './shard-file-writer';
import { writeFileAtomic } from './write-file-atomic';

export interface ExportShardsOptions {
  /** Folder of the export: shards, `manifest.json` (one export per folder). Created if missing. */
  dir: string;
  /** Shard file names are `<prefix>-000000.tar`, ... (default 'shard'; letters, digits, '_', '-'). */
  prefix?: string;
  /** Close a shard at this many samples. */
  maxItemsPerShard?: number;
  /** Close a shard before it would pass this many bytes (default 256 MiB when neither limit is given). */
  maxBytesPerShard?: number;
  /** Write the items in a seeded random order instead of the dataset's order. */
  shuffleSeed?: number;
  /** Split part to export (`dataset.setMode(mode, fraction)` first); default: the dataset's current mode. */
  mode?: number;
  fraction?: number;
  /** Progress of phase 'export': samples done of the total, bytes written, the current shard. */
  onProgress?: ProgressCallback;
  /** Replace an export of other items or options found in `dir` (default false: that is an error). */
  overwrite?: boolean;
  /** Items requested from the dataset at once (default 8). */
  concurrency?: number;
  /** fsync each shard before renaming it (default true). */
  fsync?: boolean;
}

export interface ExportShardsResult {
  manifest: ShardManifest;
  /** Path of manifest.json. */
  manifestPath: string;
  /** Shards found complete (sha256 checked) and kept from an earlier, interrupted or finished run. */
  keptShards: number;
  /** Shards written by this run. */
  writtenShards: number;
}

/** The exporter's progress file, replaced after every finished shard; gone once manifest.json is written. */
interface ExportState {
  fingerprint: string;
  tensors: Record<string, number[]>;
  shards: ShardInfo[];
}

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
const MANIFEST = 'manifest.json';

/** What the exporter reads besides `ReadableDataset` when the dataset has it (SpectrogramDataset does). */
interface DatasetExtras {
  featureFingerprint?: unknown;
  indexFingerprint?: unknown;
  mode?: unknown;
  report?: () => { extractor?: unknown };
}

function checkOptions(o: ExportShardsOptions): void {
  const issues: ConfigIssue[] = [];
  if (typeof o.dir !== 'string' || o.dir === '')
    issues.push({ path: 'dir', message: 'give the folder to write the shards to' });
  if (o.prefix !== undefined && !/^[A-Za-z0-9_-]+$/.test(o.prefix))
    issues.push({
      path: 'prefix',
      message: `got "${o.prefix}"; use letters, digits, "_" and "-" (e.g. "train")`,
    });
  for (const key of ['maxItemsPerShard', 'maxBytesPerShard', 'concurrency'] as const) {
    const value = o[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1))
      issues.push({ path: key, message: `got ${value}; use a whole number >= 1` });
  }
  if (o.shuffleSeed !== undefined && !Number.isInteger(o.shuffleSeed))
    issues.push({ path: 'shuffleSeed', message: `got ${o.shuffleSeed}; use a whole number` });
  if (issues.length) throw new SpgConfigError(issues, 'SPG_CONFIG_SHARDS');
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return null; // unreadable or damaged: treated as absent, the export starts over
  }
}

async function fileSha256(path: string): Promise<{ sha256: string; bytes: number } | undefined> {
  try {
    const size = (await stat(path)).size;
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
      hash.update(chunk as Buffer);
    return { sha256: hash.digest('hex'), bytes: size };
  } catch {
    return undefined;
  }
}

/** The longest prefix of `shards` whose files are present with the recorded size and sha256. */
async function verifiedPrefix(dir: string, shards: readonly ShardInfo[], onShard: (s: ShardInfo) => void) {
  const kept: ShardInfo[] = [];
  for (const shard of shards) {
    const found = await fileSha256(join(dir, shard.name));
    if (!found || found.bytes !== shard.bytes || found.sha256 !== shard.sha256) break;
    kept.push(shard);
    onShard(shard);
  }
  return kept;
}

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

/**
 * Writes the items of `dataset` (its current mode, or `mode`) as WebDataset tar shards in `dir`:
 * `<prefix>-000000.tar`, ... where sample `<key>` is `<key>.spectrogram.npy`, `<key>.mask_<name>.npy`,
 * `<key>.audio.npy` (as the output configuration says) and `<key>.json` (label, class, meta, path,
 * window, start sample, content ratio, sha256); `<key>` is `sampleKey` of (path, window). Then
 * `manifest.json` lists the shards (items, bytes, sha256), the fingerprints, output configuration,
 * tensor shapes and classes. Each shard is written to a temporary file and renamed when complete.
 * Run it again after a crash: shards already finished (sha256 checked) are kept and the export
 * goes on from the first missing one; a finished export is only checked.
 *
 * @example
 * const { manifest } = await exportShards(ds, { dir: 'shards/train', mode: 0, maxItemsPerShard: 1000 });
 */
export async function exportShards(
  dataset: ReadableDataset & Locatable,
  options: ExportShardsOptions,
): Promise<ExportShardsResult> {
  checkOptions(options);
  if (typeof dataset.locate !== 'function')
    throw new SpgConfigError(
      [
        {
          path: 'dataset',
          message: 'needs locate(i) (a SpectrogramDataset or a router of them) to name its items',
        },
      ],
      'SPG_CONFIG_SHARDS',
    );
  const { dir } = options;
  const prefix = options.prefix ?? 'shard';
  const maxItems = options.maxItemsPerShard;
  const maxBytes = options.maxBytesPerShard ?? (maxItems === undefined ? DEFAULT_MAX_BYTES : undefined);
  const concurrency = options.concurrency ?? 8;
  const fsync = options.fsync ?? true;
  if (options.mode !== undefined) dataset.setMode(options.mode, options.fraction);
  const extras = dataset as unknown as DatasetExtras;
  const output: OutputConfiguration = dataset.outputConfiguration;
  tensorFields(output); // rejects mask names that cannot name a member

  // The export order, every item's location and key (all keys must differ).
  const length = dataset.length;
  const order =
    options.shuffleSeed === undefined ? undefined : shuffledIndices(length, options.shuffleSeed, 0);
  const locations: ShardLocation[] = new Array(length);
  const keys = new Set<string>();
  const keyHash = createHash('sha256');
  for (let p = 0; p < length; p++) {
    const location = shardLocation(dataset.locate(order ? order[p]! : p), order ? order[p]! : p);
    const key = sampleKey(location);
    if (keys.has(key))
      throw new SpgError(
        'SPG_SHARD_KEY_COLLISION',
        `two items share the sample key ${key} (the second is ${location.path} window ${location.window}); every item needs its own (path, window)`,
        { key, path: location.path, window: location.window },
      );
    keys.add(key);
    keyHash.update(`${key}\n`);
    locations[p] = location;
  }

  const modeInfo = extras.mode as { mode?: unknown; fraction?: unknown } | undefined;
  const mode = options.mode ?? (typeof modeInfo?.mode === 'number' ? modeInfo.mode : undefined);
  const fraction =
    options.mode !== undefined
      ? (options.fraction ?? 1)
      : typeof modeInfo?.fraction === 'number'
        ? modeInfo.fraction
        : undefined;
  const identity: Omit<ShardManifest, 'fingerprint' | 'tensors' | 'shards'> = {
    format: 'spgdataset-webdataset',
    version: 1,
    prefix,
    items: length,
    outputConfiguration: {
      audio: output.audio,
      spectrogram: output.spectrogram,
      masks: [...output.masks],
      meta: [...output.meta],
      label: output.label,
    },
    classes: [...dataset.classes],
  };
  if (typeof extras.featureFingerprint === 'string') identity.featureFingerprint = extras.featureFingerprint;
  if (typeof extras.indexFingerprint === 'string') identity.indexFingerprint = extras.indexFingerprint;
  const extractor = typeof extras.report === 'function' ? extras.report().extractor : undefined;
  if (typeof extractor === 'string') identity.extractor = extractor;
  if (mode !== undefined) identity.mode = mode;
  if (fraction !== undefined) identity.fraction = fraction;
  if (options.shuffleSeed !== undefined) identity.shuffleSeed = options.shuffleSeed;
  if (maxItems !== undefined) identity.maxItemsPerShard = maxItems;
  if (maxBytes !== undefined) identity.maxBytesPerShard = maxBytes;
  const exportFingerprint = fingerprint({ ...identity, keys: keyHash.digest('hex') });

  // What an earlier run left: a finished export, or the progress file of an interrupted one.
  await mkdir(dir, { recursive: true });
  const manifestPath = join(dir, MANIFEST);
  const statePath = join(dir, `.${prefix}.export-state.json`);
  const started = performance.now();
  let done = 0;
  let bytesDone = 0;
  const report = (path?: string) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : undefined;
    options.onProgress?.({
      phase: 'export',
      done,
      total: length,
      bytes: bytesDone,
      rate,
      etaSeconds: rate ? (length - done) / rate : undefined,
      path,
    });
  };
  const countKept = (s: ShardInfo) => {
    done += s.items;
    bytesDone += s.bytes;
    report(s.name);
  };

  const previousJson = await readJson(manifestPath);
  let previous: ShardManifest | undefined;
  try {
    previous = previousJson ? parseShardManifest(previousJson, manifestPath) : undefined;
  } catch {
    previous = undefined;
  }
  const stateJson = (await readJson(statePath)) as ExportState | undefined | null;
  const conflict = (what: string, theirs: string) =>
    new SpgConfigError(
      [
        {
          path: 'dir',
          message: `${dir} holds ${what} of other items or options (fingerprint ${theirs}, this export ${exportFingerprint}); choose another folder or set overwrite (CLI: --overwrite) to replace it`,
        },
      ],
      'SPG_CONFIG_SHARDS',
    );
  if (previous && previous.fingerprint === exportFingerprint) {
    const kept = await verifiedPrefix(dir, previous.shards, countKept);
    if (kept.length === previous.shards.length) {
      await rm(statePath, { force: true });
      report();
      return { manifest: previous, manifestPath, keptShards: kept.length, writtenShards: 0 };
    }
  } else if (previous && !options.overwrite) throw conflict('an export', previous.fingerprint);
  if (stateJson && stateJson.fingerprint !== exportFingerprint && !options.overwrite)
    throw conflict('an unfinished export', stateJson.fingerprint);

  // Start over or go on: keep the verified shards of this same export, delete the rest of ours.
  done = 0;
  bytesDone = 0;
  const resumable = stateJson?.fingerprint === exportFingerprint ? stateJson : undefined;
  const recorded = previous?.fingerprint === exportFingerprint ? previous.shards : (resumable?.shards ?? []);
  const kept = await verifiedPrefix(dir, recorded, countKept);
  let tensors: Record<string, number[]> | undefined =
    kept.length > 0
      ? previous?.fingerprint === exportFingerprint
        ? previous.tensors
        : resumable?.tensors
      : undefined;
  await rm(manifestPath, { force: true });
  const keptNames = new Set(kept.map((s) => s.name));
  const shardName = new RegExp(`^(\\.)?${prefix}-\\d{6}\\.tar(\\.\\d+\\.tmp)?$`);
  for (const name of await readdir(dir)) {
    if (shardName.test(name) && !keptNames.has(name)) await rm(join(dir, name), { force: true });
  }

  const shards: ShardInfo[] = [...kept];
  let position = kept.reduce((n, s) => n + s.items, 0);
  const saveState = () =>
    writeFileAtomic(
      statePath,
      `${JSON.stringify({ fingerprint: exportFingerprint, tensors: tensors ?? {}, shards })}\n`,
      {
        fsync,
      },
    );

  // Items are requested `concurrency` at a time and written in order.
  const requests = new Map<number, Promise<unknown>>();
  const request = (p: number) => {
    if (p >= length || requests.has(p)) return;
    const promise = dataset.get(order ? order[p]! : p);
    promise.catch(() => {});
    requests.set(p, promise);
  };
  let writer: ShardFileWriter | undefined;
  let shardItems = 0;
  let shardFirst = position;
  const closeShard = async () => {
    if (!writer) return;
    await writer.write([tarEnd()]);
    const bytes = writer.bytes;
    const sha256 = await writer.finish(fsync);
    shards.push({ name: writer.name, items: shardItems, bytes, sha256, firstItem: shardFirst });
    bytesDone += 1024;
    writer = undefined;
    await saveState();
  };
  try {
    for (; position < length; position++) {
      for (let q = position; q < position + concurrency; q++) request(q);
      const item = (await requests.get(position)) as Parameters<typeof encodeShardSample>[0];
      requests.delete(position);
      const location = locations[position]!;
      const sample = encodeShardSample(
        item,
        location,
        { outputConfiguration: output, classes: dataset.classes },
        nodeSha256,
      );
      const shapes: Record<string, number[]> = {};
      for (const field of tensorFields(output)) shapes[field] = [...tensorOf(item, field)!.shape];
      if (tensors === undefined) tensors = shapes;
      else
        for (const field of Object.keys(shapes))
          if (shapes[field]!.join(',') !== tensors[field]?.join(','))
            throw new SpgError(
              'SPG_SHARD_BAD_ITEM',
              `item at ${location.path} window ${location.window} has ${field.slice(0, -4)} shape (${shapes[field]!.join(', ')}); earlier items have (${tensors[field]?.join(', ')}); one export needs one shape per tensor`,
              { path: location.path, window: location.window, field },
            );
      if (
        writer &&
        ((maxItems !== undefined && shardItems >= maxItems) ||
          (maxBytes !== undefined && writer.bytes + sample.bytes + 1024 > maxBytes))
      )
        await closeShard();
      if (!writer) {
        writer = await ShardFileWriter.create(dir, `${prefix}-${String(shards.length).padStart(6, '0')}.tar`);
        shardItems = 0;
        shardFirst = position;
      }
      const chunks: Uint8Array[] = [];
      for (const member of sample.members) {
        chunks.push(tarHeader(member.name, member.data.length), member.data);
        const pad = tarPadding(member.data.length);
        if (pad) chunks.push(new Uint8Array(pad));
      }
      await writer.write(chunks);
      shardItems++;
      done++;
      bytesDone += sample.bytes;
      report(writer.name);
    }
    await closeShard();
  } catch (error) {
    await writer?.abort();
    throw error;
  }

  const manifest: ShardManifest = {
    ...identity,
    fingerprint: exportFingerprint,
    tensors: tensors ?? {},
    shards,
  };
  await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { fsync });
  await rm(statePath, { force: true });
  report();
  return { manifest, manifestPath, keptShards: kept.length, writtenShards: shards.length - kept.length };
}

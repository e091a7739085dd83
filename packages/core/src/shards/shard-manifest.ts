import * as v from 'valibot';
import { configIssuesFromValibot } from '../config/config-issues';
import type { OutputConfiguration } from '../contracts/output-configuration';
import { SpgShardError } from '../errors/spg-shard-error';
import { fingerprint } from '../fingerprint/fingerprint';
import { tensorFields } from './shard-sample';

/** One tar shard of an export. */
export interface ShardInfo {
  /** File name, e.g. `train-000000.tar`, relative to the manifest. */
  name: string;
  /** Samples in the shard. */
  items: number;
  /** Size of the shard in bytes. */
  bytes: number;
  /** SHA-256 (hex) of the whole shard. */
  sha256: string;
  /** Position of the shard's first sample in the export order. */
  firstItem: number;
}

/** `manifest.json` of an export: what the shards hold and how they were made. */
export interface ShardManifest {
  format: 'spgdataset-webdataset';
  version: 1;
  /** Identity of the export (dataset, items in order, shard limits); equal inputs give equal fingerprints. */
  fingerprint: string;
  prefix: string;
  /** Samples over all shards. */
  items: number;
  outputConfiguration: OutputConfiguration;
  classes: string[];
  /** Shape of each tensor member (`spectrogram.npy`, `mask_<name>.npy`, `audio.npy`); all float32. */
  tensors: Record<string, number[]>;
  /** The dataset's feature fingerprint (extractor and parameters), when it has one. */
  featureFingerprint?: string;
  /** The dataset's index fingerprint (files, metadata, window options), when it has one. */
  indexFingerprint?: string;
  /** Id of the feature extractor, when the dataset reports it. */
  extractor?: string;
  /** Split part and fraction exported, when known; `shuffleSeed` when the items were shuffled. */
  mode?: number;
  fraction?: number;
  shuffleSeed?: number;
  maxItemsPerShard?: number;
  maxBytesPerShard?: number;
  shards: ShardInfo[];
}

const whole = (what: string) => v.pipe(v.number(what), v.integer(what), v.minValue(0, what));

const schema = v.object({
  format: v.literal('spgdataset-webdataset', 'must be "spgdataset-webdataset"'),
  version: v.literal(1, 'must be 1 (this reader knows version 1)'),
  fingerprint: v.string('must be a string'),
  prefix: v.string('must be a string'),
  items: whole('must be a whole number >= 0'),
  outputConfiguration: v.object({
    audio: v.boolean('must be a boolean'),
    spectrogram: v.boolean('must be a boolean'),
    masks: v.array(v.string(), 'must be a list of names'),
    meta: v.array(v.string(), 'must be a list of names'),
    label: v.nullable(v.string(), 'must be a field name or null'),
  }),
  classes: v.array(v.string(), 'must be a list of class names'),
  tensors: v.record(v.string(), v.array(whole('must be a whole number >= 0')), 'must map fields to shapes'),
  featureFingerprint: v.optional(v.string()),
  indexFingerprint: v.optional(v.string()),
  extractor: v.optional(v.string()),
  mode: v.optional(whole('must be a whole number >= 0')),
  fraction: v.optional(v.number()),
  shuffleSeed: v.optional(v.pipe(v.number(), v.integer())),
  maxItemsPerShard: v.optional(whole('must be a whole number >= 0')),
  maxBytesPerShard: v.optional(whole('must be a whole number >= 0')),
  shards: v.array(
    v.object({
      name: v.pipe(
        v.string(),
        v.regex(/^[\w][\w.-]*$/, 'must be a plain file name (letters, digits, "_", "-", ".")'),
      ),
      items: v.pipe(v.number(), v.integer(), v.minValue(1, 'must be >= 1')),
      bytes: whole('must be a whole number >= 0'),
      sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits')),
      firstItem: whole('must be a whole number >= 0'),
    }),
    'must be a list of shards',
  ),
});

/**
 * Validates a parsed `manifest.json` (`url` names it in errors): the schema, item counts that add
 * up, shards in export order, unique names, and tensor shapes for exactly the members the output
 * configuration asks for. Problems throw `SpgShardError` (`SPG_SHARD_MANIFEST_INVALID`).
 */
export function parseShardManifest(json: unknown, url: string): ShardManifest {
  const invalid = (problems: string[]) =>
    new SpgShardError(
      'SPG_SHARD_MANIFEST_INVALID',
      `Manifest ${url} is not a valid shard manifest:\n${problems.map((p) => `  - ${p}`).join('\n')}\nExport the dataset again (spgdataset export ... --format webdataset).`,
      { url },
    );
  const parsed = v.safeParse(schema, json);
  if (!parsed.success)
    throw invalid(configIssuesFromValibot(parsed.issues).map((i) => `${i.path || '(root)'}: ${i.message}`));
  const m = parsed.output as ShardManifest;
  const problems: string[] = [];
  let next = 0;
  const names = new Set<string>();
  m.shards.forEach((s, i) => {
    if (s.firstItem !== next) problems.push(`shards[${i}].firstItem: ${s.firstItem}, expected ${next}`);
    next = s.firstItem + s.items;
    if (names.has(s.name)) problems.push(`shards[${i}].name: "${s.name}" appears twice`);
    names.add(s.name);
  });
  if (next !== m.items) problems.push(`items: ${m.items}, but the shards hold ${next}`);
  let fields: string[] = [];
  try {
    fields = tensorFields(m.outputConfiguration);
  } catch (error) {
    problems.push(`outputConfiguration.masks: ${(error as Error).message}`);
  }
  const tensorKeys = Object.keys(m.tensors).sort();
  if (m.items > 0 && tensorKeys.join(',') !== [...fields].sort().join(','))
    problems.push(`tensors: has ${tensorKeys.join(', ') || 'none'}; expected ${fields.join(', ') || 'none'}`);
  if (m.outputConfiguration.label === null && m.classes.length > 0)
    problems.push('classes: listed, but the output configuration has no label');
  if (problems.length) throw invalid(problems);
  return m;
}

/** A short fingerprint of the whole manifest: resume states name the export they belong to. */
export function manifestFingerprint(manifest: ShardManifest): string {
  return fingerprint(manifest);
}

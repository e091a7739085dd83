import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex } from '@noble/hashes/utils';
import { decodeNpy, encodeNpy } from '../codec/npy';
import type { Item } from '../contracts/item';
import type { OutputConfiguration } from '../contracts/output-configuration';
import type { Tensor } from '../contracts/tensor';
import { SpgError } from '../errors/spg-error';
import { SpgShardError } from '../errors/spg-shard-error';
import { canonicalJson } from '../fingerprint/canonical-json';
import { type ShardLocation, sampleKey } from './shard-location';
import { tarMemberLength } from './tar-writer';

/** The `<key>.json` member of a sample. */
export interface ShardRecord extends ShardLocation {
  key: string;
  /** Class index (present when the output configuration has a label). */
  label?: number;
  /** `classes[label]`, for readers without the manifest. */
  class?: string;
  meta?: Record<string, unknown>;
  /** SHA-256 (hex) of the sample's tensor members and this record without `sha256` (see `sampleDigestInput`). */
  sha256: string;
}

/** An item read back from shards: `dataset.get(i)`'s parts plus its key and location. */
export interface ShardItem extends Item {
  key: string;
  location: ShardLocation;
}

/** What a sample holds, from the manifest: which tensors and their shapes. */
export interface ShardSampleSpec {
  outputConfiguration: OutputConfiguration;
  classes: readonly string[];
  /** Member field (`spectrogram.npy`, `mask_<name>.npy`, `audio.npy`) -> shape. */
  tensors: Readonly<Record<string, readonly number[]>>;
}

const MASK_NAME = /^[A-Za-z0-9_-]+$/;
const MAX_MASK_NAME = 100 - 16 - 1 - 'mask_'.length - '.npy'.length;

/** The tensor members of a sample, in the order they are written: spectrogram, masks, audio. */
export function tensorFields(output: OutputConfiguration): string[] {
  const fields: string[] = [];
  if (output.spectrogram) fields.push('spectrogram.npy');
  for (const name of output.masks) {
    // A tar name holds 100 characters: 16 (key) + 1 + "mask_" + name + ".npy".
    if (!MASK_NAME.test(name) || name.length > MAX_MASK_NAME)
      throw new SpgError(
        'SPG_SHARD_BAD_NAME',
        `mask "${name}" cannot name a shard member: use at most ${MAX_MASK_NAME} letters, digits, "_" and "-" (a dot would break webdataset's key rule)`,
        { mask: name },
      );
    fields.push(`mask_${name}.npy`);
  }
  if (output.audio) fields.push('audio.npy');
  return fields;
}

/** The tensor of `item` stored in member field `field`. */
export function tensorOf(item: Item, field: string): Tensor | undefined {
  if (field === 'spectrogram.npy') return item.spectrogram;
  if (field === 'audio.npy') return item.audio;
  return item.masks?.[field.slice('mask_'.length, -'.npy'.length)];
}

const encoder = new TextEncoder();

/**
 * The end of what a sample's `sha256` covers: the canonical JSON (sorted keys) of the tensor
 * member fields in order and the record without `sha256`.
 */
export function sampleDigestTrailer(
  fields: readonly string[],
  record: Omit<ShardRecord, 'sha256'>,
): Uint8Array {
  return encoder.encode(canonicalJson({ members: fields, record }));
}

/**
 * What a sample's `sha256` covers: the bytes of each tensor member (whole .npy files) in member
 * order, then `sampleDigestTrailer`. A changed byte in any member, a renamed or reordered member or
 * an edited record changes it. (Tensor sizes follow from the manifest's shapes, so the
 * concatenation is unambiguous.)
 */
export function sampleDigestInput(
  tensors: readonly (readonly [string, Uint8Array])[],
  record: Omit<ShardRecord, 'sha256'>,
): Uint8Array {
  const trailer = sampleDigestTrailer(
    tensors.map(([field]) => field),
    record,
  );
  let size = trailer.length;
  for (const [, data] of tensors) size += data.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const [, data] of tensors) {
    out.set(data, at);
    at += data.length;
  }
  out.set(trailer, at);
  return out;
}

/** The .npy header bytes `encodeNpy` writes for a float32 tensor of `shape` (for a fast exact check). */
export function npyHeaderBytes(shape: readonly number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const file = encodeNpy({ data: new Float32Array(size), shape: [...shape] });
  return file.slice(0, file.length - size * 4);
}

/** One encoded sample: its tar members in order and the bytes they take in a shard. */
export interface EncodedSample {
  key: string;
  members: { name: string; data: Uint8Array }[];
  /** Tar bytes of the members (headers, data, padding). */
  bytes: number;
}

/**
 * Encodes `item` (from `dataset.get(i)`, located at `location`) as webdataset sample members:
 * `<key>.spectrogram.npy`, `<key>.mask_<name>.npy`, `<key>.audio.npy` (as the output configuration
 * says) and `<key>.json` last. `digest` is SHA-256 (pass a faster one, e.g. node:crypto's, for big
 * exports).
 */
export function encodeShardSample(
  item: Item,
  location: ShardLocation,
  context: { outputConfiguration: OutputConfiguration; classes: readonly string[] },
  digest: (bytes: Uint8Array) => Uint8Array = sha256,
): EncodedSample {
  const key = sampleKey(location);
  const tensors: [string, Uint8Array][] = [];
  for (const field of tensorFields(context.outputConfiguration)) {
    const tensor = tensorOf(item, field);
    if (!tensor)
      throw new SpgError(
        'SPG_SHARD_BAD_ITEM',
        `item at ${location.path} window ${location.window} has no ${field.slice(0, -4)}, but the output configuration asks for it`,
        { path: location.path, window: location.window, field },
      );
    tensors.push([field, encodeNpy(tensor, 'float32', { key })]);
  }
  const record: Omit<ShardRecord, 'sha256'> = { key, ...location };
  if (context.outputConfiguration.label !== null) {
    if (item.label === undefined)
      throw new SpgError(
        'SPG_SHARD_BAD_ITEM',
        `item at ${location.path} window ${location.window} has no label, but the output configuration has label "${context.outputConfiguration.label}"`,
        { path: location.path, window: location.window, field: 'label' },
      );
    record.label = item.label;
    record.class = context.classes[item.label];
  }
  if (item.meta) record.meta = item.meta;
  const sha = bytesToHex(digest(sampleDigestInput(tensors, record)));
  const json = encoder.encode(JSON.stringify({ ...record, sha256: sha }));
  const members = [
    ...tensors.map(([field, data]) => ({ name: `${key}.${field}`, data })),
    { name: `${key}.json`, data: json },
  ];
  return { key, members, bytes: members.reduce((n, m) => n + tarMemberLength(m.data.length), 0) };
}

/** A sample decoded from its members, with what its digest must be checked against. */
export interface DecodedSample {
  item: ShardItem;
  /** The digest trailer (`sampleDigestTrailer`) of the record read, made on first use. */
  trailer(): Uint8Array;
  /** The sha256 the record gives. */
  sha256: string;
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Turns the members of one sample (field -> bytes, in archive order) back into an item, checking
 * them against the manifest: exactly the expected members, well-formed float32 .npy files of the
 * manifest's shapes, and a record whose key, location, label and meta are what they must be.
 * Problems throw `SpgShardError` (`SPG_SHARD_CORRUPT`) naming `url` and the sample's byte `offset`.
 */
export function decodeShardSample(
  key: string,
  members: ReadonlyMap<string, Uint8Array>,
  spec: ShardSampleSpec,
  where: { url: string; offset: number },
  npyHeaders?: Readonly<Record<string, Uint8Array>>,
): DecodedSample {
  const corrupt = (problem: string, cause?: unknown) =>
    new SpgShardError(
      'SPG_SHARD_CORRUPT',
      `Shard ${where.url} is corrupt at byte ${where.offset} (sample ${key}): ${problem}. Export the shard again (or restore it from a copy).`,
      where,
      { cause },
    );
  const output = spec.outputConfiguration;
  const fields = tensorFields(output);
  const expected = [...fields, 'json'];
  const got = [...members.keys()];
  if (got.length !== expected.length || expected.some((f) => !members.has(f)))
    throw corrupt(`members ${got.join(', ')}; expected ${expected.join(', ')}`);

  let record: unknown;
  try {
    record = JSON.parse(textDecoder.decode(members.get('json')));
  } catch (error) {
    throw corrupt(`${key}.json is not UTF-8 JSON (${(error as Error).message})`, error);
  }
  if (!isObject(record)) throw corrupt(`${key}.json is not a JSON object`);
  const r = record as Partial<ShardRecord>;
  if (r.key !== key) throw corrupt(`${key}.json names key ${JSON.stringify(r.key)}`);
  if (typeof r.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(r.sha256))
    throw corrupt(`${key}.json has no valid sha256`);
  if (
    typeof r.path !== 'string' ||
    !Number.isInteger(r.window) ||
    typeof r.startSample !== 'number' ||
    typeof r.contentRatio !== 'number'
  )
    throw corrupt(`${key}.json lacks path, window, startSample or contentRatio`);
  if (r.dataset !== undefined && !(Array.isArray(r.dataset) && r.dataset.every(Number.isInteger)))
    throw corrupt(`${key}.json has a dataset chain that is not a list of whole numbers`);
  const location: ShardLocation = {
    path: r.path,
    window: r.window!,
    startSample: r.startSample,
    contentRatio: r.contentRatio,
  };
  if (r.dataset) location.dataset = r.dataset;
  if (sampleKey(location) !== key) throw corrupt(`key ${key} is not the key of ${r.path} window ${r.window}`);

  const item: ShardItem = { key, location };
  for (const field of fields) {
    const bytes = members.get(field)!;
    let tensor: Tensor | undefined = exactNpy(bytes, npyHeaders?.[field], spec.tensors[field]);
    if (!tensor) {
      try {
        const array = decodeNpy(bytes, { path: `${where.url}:${key}.${field}` });
        if (array.dtype !== 'float32') throw new Error(`dtype ${array.dtype}, expected float32`);
        tensor = { data: array.data, shape: array.shape };
      } catch (error) {
        throw corrupt(`${key}.${field}: ${(error as Error).message}`, error);
      }
    }
    const got = tensor;
    const shape = spec.tensors[field];
    if (!shape || shape.length !== got.shape.length || shape.some((d, i) => got.shape[i] !== d))
      throw corrupt(
        `${key}.${field} has shape (${got.shape.join(', ')}), the manifest says (${shape?.join(', ')})`,
      );
    if (field === 'spectrogram.npy') item.spectrogram = tensor;
    else if (field === 'audio.npy') item.audio = tensor;
    else {
      item.masks ??= {};
      item.masks[field.slice('mask_'.length, -'.npy'.length)] = tensor;
    }
  }
  if (output.label !== null) {
    const label = r.label;
    if (!Number.isInteger(label) || label! < 0 || label! >= spec.classes.length)
      throw corrupt(`label ${JSON.stringify(label)} is not a class index in [0, ${spec.classes.length - 1}]`);
    if (r.class !== spec.classes[label!])
      throw corrupt(`class ${JSON.stringify(r.class)} is not classes[${label}] = "${spec.classes[label!]}"`);
    item.label = label;
  } else if (r.label !== undefined) throw corrupt('a label, but the manifest has no label field');
  if (output.meta.length > 0) {
    if (!isObject(r.meta)) throw corrupt(`${key}.json has no meta object`);
    item.meta = r.meta;
  } else if (r.meta !== undefined) throw corrupt('meta, but the manifest asks for none');

  const { sha256: sha, ...unsigned } = r as ShardRecord;
  return { item, trailer: () => sampleDigestTrailer(fields, unsigned), sha256: sha };
}

/**
 * The tensor of a .npy file whose header is byte for byte `header` (what the exporter writes for
 * the manifest's shape) and whose length fits it, without parsing; otherwise undefined (the caller
 * then parses and checks it in full).
 */
function exactNpy(
  bytes: Uint8Array,
  header: Uint8Array | undefined,
  shape: readonly number[] | undefined,
): Tensor | undefined {
  if (!header || !shape || bytes.byteOffset % 4 !== 0) return undefined;
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== header.length + count * 4 || !littleEndian) return undefined;
  for (let i = 0; i < header.length; i++) if (bytes[i] !== header[i]) return undefined;
  return { data: new Float32Array(bytes.buffer, bytes.byteOffset + header.length, count), shape: [...shape] };
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

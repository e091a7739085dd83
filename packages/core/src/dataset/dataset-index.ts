import * as v from 'valibot';
import type { FileStat } from '../contracts/audio-source';
import type { Json } from '../contracts/json';
import type { OutputConfiguration } from '../contracts/output-configuration';
import { isSkippableFileError } from '../errors/is-skippable-file-error';
import { SpgConfigError } from '../errors/spg-config-error';
import { SpgError } from '../errors/spg-error';
import { SpgMetadataError } from '../errors/spg-metadata-error';
import { audioExtensions } from './audio-extensions';
import type { DerivedSizes } from './derived-sizes';
import type { Interval } from './interval-union';
import { keptWindows } from './kept-windows';
import { labelText, labelTypeIssue } from './label-classes';
import { lengthMismatch } from './length-mismatch';
import type { MetadataEntry, MetadataFile } from './metadata-schema';

/** Bumped whenever the index format or the rules that fill it change: old indexes are then rebuilt. */
export const INDEX_FORMAT = 2;

/** One audio file in the index: identity, length, the requested intervals, metadata, kept windows. */
export interface IndexedFile {
  path: string;
  size: number;
  changeToken: string;
  /** Samples at sampleRate (from metadata.json, else measured by decoding). */
  length: number;
  /** Intervals of the requested masks only. */
  intervals: Record<string, Interval[]>;
  /** The file's metadata object from metadata.json. */
  metadata: Record<string, Json>;
  /** Kept windows as `[window number, content ratio]`, in window order. */
  windows: [number, number][];
}

/** A file left out (with `onError: 'skip'`) and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** The persisted index (docs/behaviour.md#caches): readable JSON, reused while its input fingerprint matches. */
export interface DatasetIndex {
  format: number;
  files: IndexedFile[];
  skipped: SkippedFile[];
  /** Files under the root that are not audio (reported once, never read). */
  nonAudio: string[];
  /** Problems found while building, repeated through the logger on every open. */
  warnings: string[];
}

const intervalSchema = v.tuple([v.number(), v.number()]);

/**
 * `[window number, content ratio]` pairs, checked by hand: an index holds one pair per kept window
 * (tens of thousands for a few hours of audio), and a schema per pair made every open of a built
 * dataset spend most of its time validating and copying them.
 */
function isWindowList(value: unknown): value is [number, number][] {
  if (!Array.isArray(value)) return false;
  for (const pair of value) {
    if (!Array.isArray(pair) || pair.length !== 2) return false;
    const [window, ratio] = pair as unknown[];
    if (!Number.isInteger(window) || (window as number) < 0 || typeof ratio !== 'number') return false;
  }
  return true;
}

const indexSchema = v.object({
  format: v.literal(INDEX_FORMAT),
  files: v.array(
    v.object({
      path: v.string(),
      size: v.number(),
      changeToken: v.string(),
      length: v.pipe(v.number(), v.integer(), v.minValue(1)),
      intervals: v.record(v.string(), v.array(intervalSchema)),
      metadata: v.record(v.string(), v.unknown()),
      windows: v.custom<[number, number][]>(isWindowList, 'must be [window, ratio] pairs'),
    }),
  ),
  skipped: v.array(v.object({ path: v.string(), reason: v.string() })),
  nonAudio: v.array(v.string()),
  warnings: v.array(v.string()),
});

/** Validates a loaded index; `undefined` when it is damaged or of another format (then it is rebuilt). */
export function readIndex(json: Json | undefined): DatasetIndex | undefined {
  if (json === undefined) return undefined;
  const parsed = v.safeParse(indexSchema, json);
  return parsed.success ? (parsed.output as DatasetIndex) : undefined;
}

/** What the index depends on: anything here changes the fingerprint it is stored under. */
export interface IndexInputs {
  files: { path: string; stat: FileStat }[];
  nonAudio: string[];
  /** Fingerprint of metadata.json's bytes, or null without one. */
  metadata: string | null;
  sizes: DerivedSizes;
  windowContentRatio: number;
  output: OutputConfiguration;
  /** Metadata key the split groups by, when it is one (it must then exist in every entry). */
  splitKey: string | null;
  onError: 'throw' | 'skip';
}

/** The JSON value whose fingerprint keys the persisted index. */
export function indexInputsJson(inputs: IndexInputs): Json {
  return {
    format: INDEX_FORMAT,
    files: inputs.files.map((f) => [f.path, f.stat.size, f.stat.changeToken]),
    nonAudio: inputs.nonAudio,
    metadata: inputs.metadata,
    sampleRate: inputs.sizes.sampleRate,
    windowSize: inputs.sizes.windowSize,
    windowOffset: inputs.sizes.windowOffset,
    windowContentRatio: inputs.windowContentRatio,
    masks: inputs.output.masks,
    meta: inputs.output.meta,
    label: inputs.output.label,
    splitKey: inputs.splitKey,
    onError: inputs.onError,
  };
}

/** What decoding a file while indexing found: its length (and whatever the caller keeps with it). */
export interface MeasuredFile {
  length: number;
}

export interface BuildIndexOptions {
  inputs: IndexInputs;
  metadata: MetadataFile | null;
  /** Name of metadata.json for messages. */
  metadataName: string | null;
  /**
   * Decodes a file to measure its length in samples at the dataset's rate (`needLength`) or, with
   * `onError: 'skip'`, to check that it decodes at all (`knownLength` is then metadata.json's); what
   * it returns is handed to `afterFile`.
   */
  measure(path: string, needLength: boolean, knownLength?: number): Promise<MeasuredFile>;
  /** Called once per indexed file, with what `measure` returned when the file was decoded. */
  afterFile?(file: IndexedFile, measured: MeasuredFile | undefined): Promise<void>;
  /**
   * Decode files whose length metadata.json gives too, so that with `onError: 'skip'` the undecodable
   * ones are left out now (default: with `onError: 'skip'`). Off when generation workers decode them
   * anyway and report the failures (then listed in `failed` by a second pass).
   */
  decodeKnownLengths?: boolean;
  /** Files found not to decode elsewhere (path -> reason): skipped with that reason, in file order. */
  failed?: ReadonlyMap<string, string>;
  /** Lengths measured by an earlier pass, used instead of decoding again. */
  knownLengths?: ReadonlyMap<string, number>;
  onFileDone?(path: string, done: number, total: number): void;
  /** Warnings found before indexing (e.g. unknown metadata.json keys); they lead the index's warnings. */
  warnings?: readonly string[];
}

function missingField(
  path: string,
  field: string,
  metadataName: string | null,
  what: string,
  present: readonly string[],
): SpgMetadataError {
  const where = metadataName ? `${metadataName}` : 'metadata (no metadata.json was given)';
  const group = field.slice(0, field.indexOf('.'));
  const has = present.length ? `it has ${group}: ${present.join(', ')}` : `its ${group} is empty`;
  return new SpgMetadataError(
    'SPG_METADATA_MISSING_FIELD',
    `${where}: entry "${path}" has no field "${field}", which ${what}; ${has}. Add it to the entry or stop requesting it.`,
    { file: path, field },
  );
}

/** Checks one entry has everything the output configuration and split need (docs/behaviour.md#metadata-json). */
function checkEntry(path: string, entry: MetadataEntry, options: BuildIndexOptions): void {
  const { output, splitKey } = options.inputs;
  const masks = Object.keys(entry.intervals);
  const fields = Object.keys(entry.metadata);
  for (const mask of output.masks) {
    if (!(mask in entry.intervals))
      throw missingField(
        path,
        `intervals.${mask}`,
        options.metadataName,
        `outputConfiguration.masks requests ("${mask}")`,
        masks,
      );
  }
  for (const field of output.meta) {
    if (!(field in entry.metadata))
      throw missingField(
        path,
        `metadata.${field}`,
        options.metadataName,
        `outputConfiguration.meta requests ("${field}")`,
        fields,
      );
  }
  if (output.label !== null) {
    if (!(output.label in entry.metadata))
      throw missingField(
        path,
        `metadata.${output.label}`,
        options.metadataName,
        `outputConfiguration.label requests ("${output.label}")`,
        fields,
      );
    labelText(entry.metadata[output.label], path, output.label);
  }
  if (splitKey !== null && !(splitKey in entry.metadata))
    throw missingField(
      path,
      `metadata.${splitKey}`,
      options.metadataName,
      `splitBy groups by ("${splitKey}")`,
      fields,
    );
}

function listed(paths: readonly string[], limit = 5): string {
  const shown = paths.slice(0, limit).join(', ');
  return paths.length > limit ? `${shown} and ${paths.length - limit} more` : shown;
}

/**
 * The files `buildIndex` will decode, in order: those whose length metadata.json does not give (all
 * of them without a metadata.json), and every file with `decodeKnownLengths` (`buildIndex`'s option
 * of that name). Files without an entry in a given metadata.json are left out (indexing fails or
 * skips them before decoding).
 */
export function filesToDecode(
  inputs: IndexInputs,
  metadata: MetadataFile | null,
  decodeKnownLengths = inputs.onError === 'skip',
): string[] {
  const decodeAll = decodeKnownLengths;
  return inputs.files
    .map((f) => f.path)
    .filter((path) => {
      if (!metadata) return true;
      const entry = metadata[path];
      return entry !== undefined && (decodeAll || entry.length === undefined);
    });
}

/**
 * Builds the index (docs/behaviour.md#metadata-json, #windows): validates each file's entry, takes its length from metadata.json
 * or by decoding, and keeps the windows whose content ratio passes. With `onError: 'skip'` a file whose
 * entry is invalid or that cannot be decoded is left out and listed; otherwise the error is thrown.
 */
export async function buildIndex(options: BuildIndexOptions): Promise<DatasetIndex> {
  const { inputs, metadata } = options;
  const { sizes, output } = inputs;
  const files: IndexedFile[] = [];
  const skipped: SkippedFile[] = [];
  const warnings: string[] = [...(options.warnings ?? [])];
  const total = inputs.files.length;
  if (total === 0) {
    const others = inputs.nonAudio.length
      ? `only ${inputs.nonAudio.length} other file${inputs.nonAudio.length === 1 ? '' : 's'} (${listed(inputs.nonAudio)})`
      : 'nothing at all';
    throw new SpgConfigError(
      [
        {
          path: 'source',
          message: `the audio source (audioRoot) holds no audio file, ${others}; audio files are found by extension (${audioExtensions.join(', ')}): point audioRoot at the folder that holds them`,
        },
      ],
      'SPG_CONFIG_NO_AUDIO',
    );
  }
  // With onError 'skip' every file is decoded while indexing, so an undecodable one is left out here
  // rather than failing generation later; that decode also makes its spectrogram (no second decode).
  const decodeAll = options.decodeKnownLengths ?? inputs.onError === 'skip';
  let done = 0;
  for (const { path, stat } of inputs.files) {
    let file: IndexedFile | undefined;
    let measured: MeasuredFile | undefined;
    try {
      let entry: MetadataEntry;
      if (metadata) {
        const found = metadata[path];
        if (!found) {
          throw new SpgMetadataError(
            'SPG_METADATA_MISSING_ENTRY',
            `${options.metadataName}: no entry for the audio file "${path}"; add "${path}": { "length": ..., "intervals": {...}, "metadata": {...} } or remove the file.`,
            { file: path },
          );
        }
        entry = found;
      } else {
        entry = { intervals: {}, metadata: {} };
      }
      checkEntry(path, entry, options);
      const failed = options.failed?.get(path);
      if (failed !== undefined) throw new SpgError('SPG_DECODE_FAILED', failed, { file: path });
      let length = entry.length ?? options.knownLengths?.get(path);
      if (length === undefined || decodeAll)
        measured = await options.measure(path, length === undefined, length);
      if (length !== undefined && measured) {
        const mismatch = lengthMismatch(path, length, measured.length, sizes.windowOffset);
        if (mismatch) warnings.push(mismatch);
      }
      if (length === undefined) {
        length = measured!.length;
        if (length === 0) {
          throw new SpgMetadataError(
            'SPG_METADATA_EMPTY_AUDIO',
            `"${path}" decodes to 0 samples; remove it or give a "length" in metadata.json.`,
            { file: path, field: 'length' },
          );
        }
      }
      const intervals: Record<string, Interval[]> = {};
      let beyond = 0;
      for (const mask of output.masks) {
        // Bounds past the end are cut to the file (annotations at another sample rate show up here).
        intervals[mask] = (entry.intervals[mask] ?? []).flatMap(([a, b]): Interval[] => {
          if (b > length) beyond++;
          return a >= length ? [] : [[a, Math.min(b, length)]];
        });
      }
      if (beyond)
        warnings.push(
          `"${path}": ${beyond} interval${beyond === 1 ? ' ends' : 's end'} after the file's length ${length} (samples at ${sizes.sampleRate} Hz) and ${beyond === 1 ? 'was' : 'were'} cut to it; check that the intervals are in samples at ${sizes.sampleRate} Hz.`,
        );
      const kept = keptWindows({
        length,
        windowSize: sizes.windowSize,
        windowOffset: sizes.windowOffset,
        windowContentRatio: inputs.windowContentRatio,
        masks: output.masks.length ? output.masks.map((m) => intervals[m]!) : null,
      });
      file = {
        path,
        size: stat.size,
        changeToken: stat.changeToken,
        length,
        intervals,
        metadata: entry.metadata as Record<string, Json>,
        windows: kept.map((w) => [w.window, w.contentRatio]),
      };
    } catch (error) {
      // Only a problem of this file is skipped; cache and configuration errors concern every file.
      if (inputs.onError !== 'skip' || !isSkippableFileError(error)) throw error;
      skipped.push({ path, reason: error.message });
    }
    if (file) {
      files.push(file);
      await options.afterFile?.(file, measured);
    }
    options.onFileDone?.(path, ++done, total);
  }

  if (output.label !== null) {
    const mixed = labelTypeIssue(files, output.label);
    if (mixed) throw mixed;
  }

  // Validation pass (the seed's warnings), one message per problem.
  if (metadata) {
    const audio = new Set(inputs.files.map((f) => f.path));
    const orphans = Object.keys(metadata).filter((k) => !audio.has(k));
    if (orphans.length)
      warnings.push(
        `${options.metadataName}: ${orphans.length} entr${orphans.length === 1 ? 'y has' : 'ies have'} no audio file: ${listed(orphans)}`,
      );
  }
  for (const mask of output.masks) {
    const empty = files.filter((f) => f.intervals[mask]!.length === 0).map((f) => f.path);
    if (empty.length)
      warnings.push(
        `mask "${mask}": ${empty.length} file${empty.length === 1 ? ' has' : 's have'} no intervals: ${listed(empty)}`,
      );
  }
  const windowless = files.filter((f) => f.windows.length === 0).map((f) => f.path);
  if (windowless.length)
    warnings.push(
      `${windowless.length} file${windowless.length === 1 ? ' has' : 's have'} no window with content ratio >= ${inputs.windowContentRatio} of masks [${output.masks.join(', ')}]: ${listed(windowless)}`,
    );
  if (skipped.length)
    warnings.push(
      `${skipped.length} file${skipped.length === 1 ? ' was' : 's were'} skipped (onError 'skip'): ${listed(skipped.map((s) => s.path))}`,
    );
  return { format: INDEX_FORMAT, files, skipped, nonAudio: inputs.nonAudio, warnings };
}

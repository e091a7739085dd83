import * as v from 'valibot';
import { SpgMetadataError } from '../errors/spg-metadata-error';
import type { Interval } from './interval-union';
import { unknownEntryKeyWarnings } from './unknown-entry-keys';

/** One audio file's entry in metadata.json (docs/behaviour.md#metadata-json). Lengths and bounds are samples at sampleRate. */
export interface MetadataEntry {
  length?: number;
  intervals: Record<string, Interval[]>;
  metadata: Record<string, unknown>;
}

/** metadata.json: entries keyed by relative POSIX path. */
export type MetadataFile = Record<string, MetadataEntry>;

const sampleBound = v.pipe(
  v.number('must be a number of samples'),
  v.integer('must be a whole number of samples'),
  v.minValue(0, 'must be >= 0'),
);

const intervalSchema = v.pipe(
  v.strictTuple([sampleBound, sampleBound], 'must be a [start, stop] pair of sample numbers'),
  v.check(([a, b]) => a <= b, 'start must be <= stop (intervals are half-open [start, stop))'),
);

/** valibot's object and record schemas accept arrays; metadata.json objects must be plain objects. */
const plainObject = (message: string) =>
  v.custom<Record<string, unknown>>(
    (x) => typeof x === 'object' && x !== null && !Array.isArray(x),
    (issue) => `${message}${Array.isArray(issue.input) ? ', not a list' : ''}`,
  );

const entrySchema = v.pipe(
  plainObject('must be an object { length?, intervals?, metadata? }'),
  v.object({
    length: v.optional(
      v.pipe(
        v.number('must be a number of samples'),
        v.integer('must be a whole number of samples'),
        v.minValue(1, 'must be >= 1'),
      ),
    ),
    intervals: v.optional(
      v.pipe(
        plainObject('must be an object keyed by mask name, e.g. { "speech": [[0, 16000]] }'),
        v.record(v.string(), v.array(intervalSchema, 'must be a list of [start, stop] pairs')),
      ),
      {},
    ),
    metadata: v.optional(
      v.pipe(
        plainObject('must be an object of fields, e.g. { "gender": "f" }'),
        v.record(v.string(), v.unknown()),
      ),
      {},
    ),
  }),
);

const fileSchema = v.record(v.string(), entrySchema, 'must be an object keyed by relative audio path');

/** True for a relative POSIX path with no empty, `.` or `..` segment (a key that stays under the root). */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  if (/^[a-zA-Z]:/.test(path)) return false;
  return path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** A value as JSON for a message, cut to a readable length. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function fieldOf(path: readonly unknown[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/**
 * Parses and validates metadata.json (docs/behaviour.md#metadata-json). Every problem is an `SpgMetadataError` naming the
 * metadata file, the audio file's key and the field. Unknown entry keys (typos such as "lenght")
 * are ignored and reported through `warn`, one message per key, with the nearest valid key.
 */
export function parseMetadataFile(
  bytes: Uint8Array,
  name: string,
  warn?: (message: string) => void,
): MetadataFile {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new SpgMetadataError(
      'SPG_METADATA_INVALID_JSON',
      `${name} is not valid JSON (${(cause as Error).message}); it must be an object keyed by relative audio path.`,
      { file: name },
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpgMetadataError(
      'SPG_METADATA_INVALID',
      `${name} must be a JSON object keyed by relative audio path (got ${Array.isArray(raw) ? 'an array' : JSON.stringify(raw)}).`,
      { file: name },
    );
  }
  for (const key of Object.keys(raw)) {
    if (!isSafeRelativePath(key)) {
      throw new SpgMetadataError(
        'SPG_METADATA_BAD_KEY',
        `${name}: key "${key}" escapes the audio root or is not a relative POSIX path; use paths like "dir/a.wav" (no "..", no leading "/", no backslashes).`,
        { file: key, field: '(key)', value: key },
      );
    }
  }
  const parsed = v.safeParse(fileSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0]!;
    const path = (issue.path ?? []).map((p) => p.key);
    const file = String(path[0] ?? '');
    const field = fieldOf(path.slice(1));
    const code = field.startsWith('intervals') ? 'SPG_METADATA_BAD_INTERVAL' : 'SPG_METADATA_INVALID';
    throw new SpgMetadataError(
      code,
      `${name}: entry "${file}", field "${field || '(entry)'}": ${issue.message} (got ${shown(issue.input)}).`,
      { file, field: field || '(entry)', value: issue.input },
    );
  }
  if (warn)
    for (const message of unknownEntryKeyWarnings(raw as Record<string, unknown>, name)) warn(message);
  return parsed.output as MetadataFile;
}

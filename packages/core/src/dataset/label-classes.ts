import { SpgMetadataError } from '../errors/spg-metadata-error';

/** The text a label value is enumerated by (classes are strings; values of one dataset share one type, see `labelTypeIssue`). */
export function labelText(value: unknown, file: string, field: string): string {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')
    return String(value);
  throw new SpgMetadataError(
    'SPG_METADATA_BAD_LABEL',
    `metadata of "${file}": label field "${field}" must be a string, number or boolean (got ${JSON.stringify(value)}).`,
    { file, field, value },
  );
}

/**
 * `classes` = sorted unique label values over all files (docs/behaviour.md#items): numerically when every value is a
 * number, else by code point as Python's `sorted` does for strings.
 */
export function enumerateClasses(values: readonly unknown[]): string[] {
  const numeric = values.length > 0 && values.every((x) => typeof x === 'number');
  if (numeric) return [...new Set(values as number[])].sort((a, b) => a - b).map(String);
  const texts = [...new Set(values.map((x) => String(x)))];
  return texts.sort((a, b) => {
    const x = [...a];
    const y = [...b];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
      if (d !== 0) return d;
    }
    return x.length - y.length;
  });
}

/** The item's `meta`: the requested fields except the one used as `label` (docs/behaviour.md#items). */
export function metaFields(meta: readonly string[], label: string | null): string[] {
  return meta.filter((field) => field !== label);
}

/**
 * An error when label values mix types (a number in one file, a string in another): their classes
 * would depend on how each file happens to be written ("1" and 1), as Python's `sorted` refuses too.
 */
export function labelTypeIssue(
  files: readonly { path: string; metadata: Record<string, unknown> }[],
  label: string,
): SpgMetadataError | undefined {
  const firstOfType = new Map<string, string>();
  for (const f of files) {
    const type = typeof f.metadata[label];
    if (!firstOfType.has(type)) firstOfType.set(type, f.path);
  }
  if (firstOfType.size <= 1) return undefined;
  const examples = [...firstOfType].map(([type, path]) => `a ${type} in "${path}"`).join(', ');
  return new SpgMetadataError(
    'SPG_METADATA_MIXED_LABEL',
    `label field "${label}" mixes value types: ${examples}; make the values all strings or all numbers (or all booleans) in metadata.json.`,
    { file: [...firstOfType.values()][1], field: `metadata.${label}` },
  );
}

/** Classes (sorted unique label values) and each file's class index (-1 without a label field). */
export function fileLabels(
  files: readonly { path: string; metadata: Record<string, unknown> }[],
  label: string | null,
): { classes: string[]; fileLabel: Int32Array } {
  const classes = enumerateClasses(label === null ? [] : files.map((f) => f.metadata[label]));
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const fileLabel = Int32Array.from(files, (f) =>
    label === null ? -1 : classIndex.get(labelText(f.metadata[label], f.path, label))!,
  );
  return { classes, fileLabel };
}

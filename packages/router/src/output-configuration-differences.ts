import type { ConfigIssue, OutputConfiguration } from '@spgdataset/core';

/** Output keys whose arrays name members of a record (`masks`, `meta`): their order does not matter. */
const SET_KEYS = new Set(['masks', 'meta']);

function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'missing';
  return JSON.stringify(value);
}

function same(key: string, a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const left = SET_KEYS.has(key) ? [...a].sort() : a;
    const right = SET_KEYS.has(key) ? [...b].sort() : b;
    return left.length === right.length && left.every((v, i) => same(key, v, right[i]));
  }
  return a === b;
}

/**
 * Every key in which a dataset's output configuration differs from dataset 0's, one issue per
 * (dataset, key), e.g. `dataset 1: masks ['speech'] vs ['noise'] in dataset 0`. `masks` and `meta`
 * are compared as sets (they name the keys of item records, so order does not change an item).
 */
export function outputConfigurationDifferences(
  configurations: readonly OutputConfiguration[],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const first = configurations[0];
  if (first === undefined) return issues;
  const reference = first as unknown as Record<string, unknown>;
  configurations.forEach((configuration, d) => {
    if (d === 0) return;
    const other = configuration as unknown as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(reference), ...Object.keys(other)])].sort();
    for (const key of keys) {
      if (same(key, other[key], reference[key])) continue;
      issues.push({
        path: `datasets[${d}].outputConfiguration.${key}`,
        message:
          `dataset ${d}: ${key} ${show(other[key])} vs ${show(reference[key])} in dataset 0; ` +
          'open every dataset of a router with the same outputConfiguration',
      });
    }
  });
  return issues;
}

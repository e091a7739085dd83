import type * as v from 'valibot';
import type { ConfigIssue } from '../errors/spg-config-error';

/** Joins a dotted prefix and a path (`windows` + `windowSizeSec` -> `windows.windowSizeSec`). */
export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** Turns valibot issues into `ConfigIssue`s: path of the offending key, message with what was given. */
export function configIssuesFromValibot(issues: readonly v.BaseIssue<unknown>[], prefix = ''): ConfigIssue[] {
  return issues.map((issue) => {
    const path = (issue.path ?? [])
      .map((item) => (typeof item.key === 'number' ? `[${item.key}]` : String(item.key)))
      .join('.')
      .replace(/\.\[/g, '[');
    const unknownKey =
      issue.kind === 'schema' && issue.type === 'strict_object' && issue.expected === 'never';
    const got = unknownKey ? '' : ` (got ${describe(issue.input)})`;
    return { path: joinPath(prefix, path), message: `${issue.message}${got}` };
  });
}

/** A short, JSON-like rendering of a value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

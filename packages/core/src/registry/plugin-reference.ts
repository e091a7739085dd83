import type { PluginReference } from '../contracts/plugin-reference';

export type { PluginReference };

/** True for `{ use: string, options? }` objects (plugin instances have `kind` and methods instead). */
export function isPluginReference(value: unknown): value is PluginReference {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { use?: unknown }).use === 'string' &&
    !('kind' in value)
  );
}

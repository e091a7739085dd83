import type { Json } from '../contracts/json';

/** A JSON reference to a registered plugin: `{ "use": "dsp-wasm/log-mel", "options": { ... } }`. */
export interface PluginReference {
  use: string;
  options?: Json;
}

/** True for `{ use: string, options? }` objects (plugin instances have `kind` and methods instead). */
export function isPluginReference(value: unknown): value is PluginReference {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { use?: unknown }).use === 'string' &&
    !('kind' in value)
  );
}

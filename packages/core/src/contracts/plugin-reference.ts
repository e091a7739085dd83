import type { Json } from './json';

/** A JSON reference to a registered plugin: `{ "use": "dsp-wasm/log-mel", "options": { ... } }`. */
export interface PluginReference {
  use: string;
  options?: Json;
}

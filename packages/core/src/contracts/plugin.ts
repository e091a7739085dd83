import type { Json } from './json';

/** The kinds of plugin the builder assembles. */
export type PluginKind = 'source' | 'decoder' | 'resampler' | 'extractor' | 'cache' | 'scheduler';

/**
 * What every plugin has: a kind, a stable id (`<package-short>/<name>`, e.g. `dsp-wasm/log-mel`) and
 * the JSON options it was made from, so that a config can recreate it (in another thread too).
 */
export interface PluginBase<K extends PluginKind> {
  readonly kind: K;
  readonly id: string;
  readonly options: Json;
  /** Release resources (wasm memory, file handles). Using the plugin afterwards throws. */
  dispose?(): void | Promise<void>;
}

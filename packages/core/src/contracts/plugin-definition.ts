import type { AudioDecoder } from './audio-decoder';
import type { AudioSource } from './audio-source';
import type { FeatureExtractor } from './feature-extractor';
import type { GenerationScheduler } from './generation-scheduler';
import type { PluginKind } from './plugin';
import type { Resampler } from './resampler';
import type { SpectrogramCache } from './spectrogram-cache';
import type { StandardSchemaV1 } from './standard-schema';

/** The plugin type of each kind. */
export interface PluginByKind {
  source: AudioSource;
  decoder: AudioDecoder;
  resampler: Resampler;
  extractor: FeatureExtractor;
  cache: SpectrogramCache;
  scheduler: GenerationScheduler;
}

/**
 * What a plugin package exports beside its factory, so a registry can make the plugin from a JSON
 * reference `{ "use": id, "options": {...} }` (in a worker thread too).
 */
export interface PluginDefinition<K extends PluginKind = PluginKind, Options = unknown> {
  readonly kind: K;
  readonly id: string;
  /** Validates JSON options (any Standard Schema library). */
  readonly schema: StandardSchemaV1<unknown, Options>;
  /**
   * The package (import specifier) that exports this definition, e.g. `'@spgdataset/dsp-wasm'`.
   * Worker threads and worker machines import it by this name to re-create the plugin from its
   * `{ use, options }` reference; a definition without it can be used in this thread only.
   */
  readonly module?: string;
  create(options: Options): PluginByKind[K] | Promise<PluginByKind[K]>;
}

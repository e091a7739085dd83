import type { AudioDecoder } from './audio-decoder';
import type { AudioSource } from './audio-source';
import type { FeatureExtractor } from './feature-extractor';
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
  create(options: Options): PluginByKind[K] | Promise<PluginByKind[K]>;
}

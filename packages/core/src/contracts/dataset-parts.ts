import type { AudioDecoder } from './audio-decoder';
import type { AudioSource } from './audio-source';
import type { FeatureExtractor } from './feature-extractor';
import type { GenerationScheduler } from './generation-scheduler';
import type { IndexStore } from './index-store';
import type { Logger } from './logger';
import type { MetadataInput } from './metadata-input';

import type { OutputConfiguration } from './output-configuration';
import type { ProgressCallback } from './progress';
import type { Registry } from './registry';
import type { Resampler } from './resampler';
import type { SpectrogramCache } from './spectrogram-cache';

export type { MetadataInput };

/** Window grid and selection (docs/behaviour.md#sizes, #windows), in seconds as the seed takes them. */
export interface WindowOptions {
  windowSizeSec: number;
  windowOffsetSec: number;
  /** Keep a window when (overlap with the union of requested masks) / windowSize >= this. */
  windowContentRatio: number;
}

/** Split ratios and grouping (docs/behaviour.md#splits). */
export interface SplitOptions {
  /** Ratios summing to 1, e.g. [0.8, 0.1, 0.1]. */
  split: number[];
  /** Seed of the deterministic assignment and of `fraction` subsets. */
  seed: number;
  /** 'file' (default): a file's windows stay together; 'window': the seed's per-window split; else a metadata key. */
  splitBy: string;
}

/** Memory cache settings (docs/behaviour.md#options, #caches). */
export interface MemoryOptions {
  /** MB of spectrograms kept in memory (0 = none). */
  maxMemoryCache: number;
  /** Storage precision of cached spectrograms. */
  dtype: 'float32' | 'float16';
}

/**
 * Everything a dataset is assembled from: what `createDataset().build()` hands to the dataset
 * after validating it. Plugins are instances here; the builder resolves `{use, options}` references.
 */
export interface DatasetParts {
  source: AudioSource;
  decoder: AudioDecoder;
  resampler: Resampler;
  extractor: FeatureExtractor;
  /** Persistent cache (e.g. fsCache); the memory cache sits in front of it. */
  cache: SpectrogramCache | undefined;
  memory: MemoryOptions;
  metadata: MetadataInput | null;
  windows: WindowOptions;
  output: OutputConfiguration;
  split: SplitOptions;
  indexStore: IndexStore | undefined;
  logger: Logger;
  onProgress: ProgressCallback | undefined;
  /** 'skip' leaves undecodable or invalid files out of the index and lists them in `report()`. */
  onError: 'throw' | 'skip';
  /** Worker threads for spectrogram generation (0 = in this thread). */
  numWorkers: number;
  /** Runs generation in workers (threads or machines); undefined: in this thread. */
  scheduler: GenerationScheduler | undefined;
  /** The registry the parts came from: workers re-create plugins through its definitions. */
  registry: Registry | undefined;
}

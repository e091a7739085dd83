import {
  datasetDataDefaults,
  type FeatureExtractor,
  type GenerationScheduler,
  type Logger,
  type OutputConfiguration,
  type PluginReference,
  type ProgressCallback,
  type Registry,
  type Resampler,
  type SpectrogramCache,
} from '@spgdataset/core';

/**
 * Options of `openSpectrogramDataset`: the Python package's options in camelCase with its
 * defaults, plus extras that never change the meaning of those.
 */
export interface OpenSpectrogramDatasetOptions {
  /** Folder scanned recursively for audio files. */
  audioRoot: string;
  /** Folder of the spectrogram cache (.npy files); not needed when `cache` is given. */
  spectrogramsRoot?: string;
  /** Folder of the persisted index (readable JSON). */
  indexRoot: string;
  /** metadata.json, keyed by paths relative to `audioRoot` (default null: no metadata). */
  metadataJsonPath?: string | null;
  /** Hz (default 16000). */
  sampleRate?: number;
  /** Seconds per window (default 1.92). */
  windowSizeSec?: number;
  /** Seconds between windows (default 0.1). */
  windowOffsetSec?: number;
  /** Keep windows whose share of the requested masks is at least this (default 0.5). */
  windowContentRatio?: number;
  /** Samples per frame (default 160). */
  hopLength?: number;
  /** Mel bands (default 80). */
  nMels?: number;
  /** FFT size (default 400). */
  nFft?: number;
  /** Per-file standardisation (default true). */
  normalize?: boolean;
  /** Storage precision of cached spectrograms (default 'float32'). */
  dtype?: 'float32' | 'float16';
  /** Split ratios summing to 1 (default [1]). */
  split?: number[];
  /** What items carry (default { audio: false, spectrogram: true, masks: [], meta: [], label: null }). */
  outputConfiguration?: Partial<OutputConfiguration>;
  /** MB of spectrograms kept in memory (default 0). */
  maxMemoryCache?: number;
  /** Worker threads for generation (default 0: this thread). */
  numWorkers?: number;
  /** Seed of the split assignment and fraction subsets (default 0). */
  seed?: number;
  /** 'file' (default, leakage-free), 'window' (the Python package's behaviour) or a metadata key such as 'speaker'. */
  splitBy?: string;
  /**
   * 'wasm' (default, falls back to 'js' when WebAssembly is unavailable), 'js', an extractor
   * instance, or a `{ use, options }` reference to any registered extractor.
   */
  extractor?: 'wasm' | 'js' | FeatureExtractor | PluginReference;
  /**
   * 'wasm' (default: dsp-wasm's SIMD resampler, falls back to 'js' when WebAssembly is unavailable),
   * 'js' (core's sinc resampler, the same filter in TypeScript), an instance, or a `{ use, options }` reference.
   */
  resampler?: 'wasm' | 'js' | Resampler | PluginReference;
  /** A spectrogram cache instance or `{ use, options }` reference instead of the .npy files under `spectrogramsRoot`. */
  cache?: SpectrogramCache | PluginReference;
  /**
   * Where generation runs (an instance or reference); default: worker threads when `numWorkers > 0`.
   * `{ use: 'scheduler-bullmq/queue', options: { connection: 'redis://host:6379' } }`: worker
   * processes on any number of machines (`spgdataset worker`).
   */
  scheduler?: GenerationScheduler | PluginReference;
  /**
   * What identifies a version of an audio file in cache keys and the index (default 'mtime'): 'mtime'
   * its modification time; 'size' its path and size only; 'content' a SHA-256 of its bytes (reads
   * every file at each open). 'size' and 'content' are the same on every machine, so use one of them
   * when machines with their own copies of the audio share a cache (distributed builds).
   */
  changeToken?: 'mtime' | 'size' | 'content';
  /** Packages whose exported plugin definitions are added to the registry (and found by workers), e.g. ['@acme/spg-s3-cache']. */
  plugins?: string[];
  /** The registry references resolve through (default `nodeRegistry`). */
  registry?: Registry;
  /** 'throw' (default) or 'skip' undecodable / invalid files (listed in `report()`). */
  onError?: 'throw' | 'skip';
  /**
   * Only read what `spgdataset build` (or an earlier open) made: a missing index or spectrogram is an
   * `SpgError` `SPG_DATASET_NOT_BUILT` instead of being built (default false).
   */
  readOnly?: boolean;
  /**
   * 'all' (default): generate every missing or damaged spectrogram before returning. 'on-demand':
   * only index; a file's spectrogram is made the first time one of its items is read.
   */
  generate?: 'all' | 'on-demand';
  onProgress?: ProgressCallback;
  /** Default: console warnings, info silent. */
  logger?: Logger;
}

/** Defaults of the log-mel options (the Python package's); every other default is core's. */
export const melDefaults = {
  sampleRate: 16000,
  hopLength: 160,
  nMels: 80,
  nFft: 400,
  normalize: true,
} as const;

const data = datasetDataDefaults();

/** Every default of `openSpectrogramDataset`, for reference (derived from the schemas that apply them). */
export const openDefaults = Object.freeze({
  metadataJsonPath: null,
  ...melDefaults,
  ...data.windows,
  ...data.memory,
  ...data.split,
  outputConfiguration: data.output,
  numWorkers: 0,
  extractor: 'wasm',
  resampler: 'wasm',
  onError: 'throw',
  changeToken: 'mtime',
});

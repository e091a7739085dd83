import type { FeatureExtractor, Logger, OutputConfiguration, ProgressCallback } from '@spgdataset/core';

/**
 * Options of `openSpectrogramDataset`: the Python seed's options in camelCase with its defaults
 * (SPEC 3), plus extras that never change the meaning of those.
 */
export interface OpenSpectrogramDatasetOptions {
  /** Folder scanned recursively for audio files. */
  audioRoot: string;
  /** Folder of the spectrogram cache (.npy files). */
  spectrogramsRoot: string;
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
  /** 'file' (default, leakage-free), 'window' (the seed's behaviour) or a metadata key such as 'speaker'. */
  splitBy?: string;
  /** 'wasm' (default, falls back to 'js' when WebAssembly is unavailable), 'js', or an extractor instance. */
  extractor?: 'wasm' | 'js' | FeatureExtractor;
  /** 'throw' (default) or 'skip' undecodable / invalid files (listed in `report()`). */
  onError?: 'throw' | 'skip';
  onProgress?: ProgressCallback;
  /** Default: console warnings, info silent. */
  logger?: Logger;
}

/** The seed's defaults (SPEC 3). */
export const openDefaults = {
  metadataJsonPath: null,
  sampleRate: 16000,
  windowSizeSec: 1.92,
  windowOffsetSec: 0.1,
  windowContentRatio: 0.5,
  hopLength: 160,
  nMels: 80,
  nFft: 400,
  normalize: true,
  dtype: 'float32',
  split: [1],
  outputConfiguration: { audio: false, spectrogram: true, masks: [], meta: [], label: null },
  maxMemoryCache: 0,
  numWorkers: 0,
  seed: 0,
  splitBy: 'file',
  extractor: 'wasm',
  onError: 'throw',
} as const;

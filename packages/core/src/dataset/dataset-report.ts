import type { SkippedFile } from './dataset-index';

/** Counts of spectrogram work since the dataset was opened. */
export interface GenerationStats {
  /** Spectrograms computed (decode + extract). */
  generated: number;
  /** Spectrograms found valid in the cache at open. */
  cached: number;
  /** Damaged cache entries replaced. */
  regenerated: number;
  /** Files decoded to measure a length missing from metadata.json. */
  lengthsMeasured: number;
}

export function emptyStats(): GenerationStats {
  return { generated: 0, cached: 0, regenerated: 0, lengthsMeasured: 0 };
}

/** What `SpectrogramDataset.report()` returns. */
export interface DatasetReport {
  files: number;
  /** Kept windows over all split parts. */
  items: number;
  classes: string[];
  /** Items per split part. */
  splitItems: number[];
  mode: number;
  fraction: number;
  /** Items of the current mode (= `length`). */
  modeItems: number;
  skipped: SkippedFile[];
  nonAudio: string[];
  warnings: string[];
  indexReused: boolean;
  indexFingerprint: string;
  featureFingerprint: string;
  /** Id of the feature extractor, e.g. 'dsp-wasm/log-mel'. */
  extractor: string;
  /** Id of the persistent cache (e.g. 'cache-fs/npy'), or null for memory only. */
  cache: string | null;
  spectrograms: GenerationStats;
  /** Bytes held by the memory cache. */
  memoryBytes: number;
}

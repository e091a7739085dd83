import type { FeatureExtractor } from '../contracts/feature-extractor';
import { fingerprint } from '../fingerprint/fingerprint';

/**
 * The fingerprint of everything that changes a file's stored spectrogram: the extractor's own
 * fingerprint, the window grid the audio is padded to, and the storage precision. Part of every
 * cache key; computed the same way by the dataset and by every worker.
 */
export function featureFingerprintOf(
  extractor: FeatureExtractor,
  grid: { windowSize: number; windowOffset: number; dtype: 'float32' | 'float16' },
): string {
  return fingerprint({
    extractor: extractor.fingerprint(),
    windowSize: grid.windowSize,
    windowOffset: grid.windowOffset,
    dtype: grid.dtype,
  });
}

import type { AudioDecoder } from '../contracts/audio-decoder';
import type { FeatureExtractor } from '../contracts/feature-extractor';
import type { Resampler } from '../contracts/resampler';
import { extractorFingerprint } from '../extractor/extractor-fingerprint';
import { fingerprint } from '../fingerprint/fingerprint';

/** A plugin's part of the fingerprint: what it is, how it was made, and its numerics version. */
const identity = (plugin: AudioDecoder | Resampler) => ({
  id: plugin.id,
  options: plugin.options,
  version: plugin.version ?? 0,
});

/**
 * The fingerprint of everything that changes a file's stored spectrogram: the decoder and the
 * resampler (id, options, numerics version), the extractor's own fingerprint, the window grid the
 * audio is padded to, and the storage precision. Part of every cache key; computed the same way by
 * the dataset and by every worker.
 */
export function featureFingerprintOf(
  plugins: { decoder: AudioDecoder; resampler: Resampler; extractor: FeatureExtractor },
  grid: { windowSize: number; windowOffset: number; dtype: 'float32' | 'float16' },
): string {
  return fingerprint({
    decoder: identity(plugins.decoder),
    resampler: identity(plugins.resampler),
    extractor: extractorFingerprint(plugins.extractor),
    windowSize: grid.windowSize,
    windowOffset: grid.windowOffset,
    dtype: grid.dtype,
  });
}

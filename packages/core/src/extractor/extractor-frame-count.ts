import type { FeatureExtractor } from '../contracts/feature-extractor';

/** Frames `extractor` gives for `samples` input samples: its `frameCount`, else `floor(samples / hopLength)`. */
export function extractorFrameCount(extractor: FeatureExtractor, samples: number): number {
  return typeof extractor.frameCount === 'function'
    ? extractor.frameCount(samples)
    : Math.floor(samples / extractor.features.hopLength);
}

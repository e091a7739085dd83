import type { FeatureExtractor } from '../contracts/feature-extractor';
import { fingerprint } from '../fingerprint/fingerprint';

/**
 * The extractor's fingerprint: its own `fingerprint()` when it has one, else core's
 * `fingerprint({ id, version, options, features })` (what the contract says decides the output).
 */
export function extractorFingerprint(extractor: FeatureExtractor): string {
  if (typeof extractor.fingerprint === 'function') return extractor.fingerprint();
  const { id, version, options } = extractor;
  const { rows, sampleRate, hopLength } = extractor.features;
  return fingerprint({ id, version, options, features: { rows, sampleRate, hopLength } });
}

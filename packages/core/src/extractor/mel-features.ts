import type { ExtractorFeatures } from '../contracts/feature-extractor';
import type { MelParams } from '../contracts/mel-params';

/** The features a log-mel extractor declares: one row per mel band. */
export function melFeatures(
  params: Pick<MelParams, 'nMels' | 'sampleRate' | 'hopLength'>,
): ExtractorFeatures {
  return Object.freeze({ rows: params.nMels, sampleRate: params.sampleRate, hopLength: params.hopLength });
}

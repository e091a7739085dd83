import type { FeatureExtractor } from '../contracts/feature-extractor';
import type { MelOptions, MelParams } from '../contracts/mel-params';
import type { Tensor } from '../contracts/tensor';

/** What the feature-extractor case groups share: how to add a case and to use the extractor under test. */
export interface ExtractorCaseContext {
  add(group: string, name: string, run: () => Promise<void>, notApplicable?: string): void;
  /** The extractor under test for `options` (awaited, whether `create` is sync or async). */
  create(options: MelOptions): Promise<FeatureExtractor>;
  /** `extractor.extract(mono)`, awaited. */
  extract(extractor: FeatureExtractor, mono: Float32Array): Promise<Tensor>;
  /** Which optional members the implementation has (from a probe instance). */
  hasParams: boolean;
  hasFingerprint: boolean;
  hasDispose: boolean;
  hasStream: boolean;
  /** Its stream has `observe` (frames computed by other streams). */
  hasObserve: boolean;
}

export const whisper: MelOptions = { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 };

/** `whisper` resolved: every mel parameter spelled out. */
export const whisperParams: MelParams = {
  sampleRate: 16000,
  nFft: 400,
  hopLength: 160,
  nMels: 80,
  fMin: 0,
  fMax: 8000,
  normalize: false,
  htk: false,
};

/** nFft = 2 * 97: exercises a large prime factor (Bluestein or a generic odd radix). */
export const oddFactor: MelOptions = {
  sampleRate: 8000,
  nFft: 194,
  hopLength: 80,
  nMels: 40,
  normalize: true,
};

/** Parameters of the log-mel spectrogram (docs/behaviour.md#spectrogram). All are part of the fingerprint. */
export interface MelParams {
  sampleRate: number;
  nFft: number;
  hopLength: number;
  nMels: number;
  /** Lowest filter edge in Hz (default 0). */
  fMin: number;
  /** Highest filter edge in Hz (default sampleRate / 2). */
  fMax: number;
  /** Per-file standardisation `(S - mean) / std` (std with N - 1). */
  normalize: boolean;
  /** HTK mel scale instead of Slaney (default false). Filters stay Slaney-normalised. */
  htk: boolean;
}

/** What a user passes: the optional parameters may be left out. */
export type MelOptions = Pick<MelParams, 'sampleRate' | 'nFft' | 'hopLength' | 'nMels'> &
  Partial<Pick<MelParams, 'fMin' | 'fMax' | 'normalize' | 'htk'>>;

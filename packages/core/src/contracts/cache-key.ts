/** Identity of an audio file: its relative POSIX path and what says whether it changed. */
export interface FileIdentity {
  path: string;
  size: number;
  changeToken: string;
}

/**
 * Key of one cached spectrogram. `path` mirrors the audio file's relative path (so a cache on disk
 * mirrors the audio folder); `variant` hashes the feature fingerprint with the file's size and
 * change token, so a changed file or parameter never meets an old entry. `id` is unique.
 */
export interface CacheKey {
  readonly path: string;
  readonly variant: string;
  readonly id: string;
}

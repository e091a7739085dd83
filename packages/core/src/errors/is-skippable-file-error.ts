import { SpgCacheError } from './spg-cache-error';
import { SpgConfigError } from './spg-config-error';
import { SpgError } from './spg-error';

/**
 * Whether `error` concerns one audio file only (it cannot be decoded or read, its metadata entry is
 * invalid), so `onError: 'skip'` may leave that file out. Configuration and cache errors concern
 * every file, and errors that are not `SpgError`s are bugs: those always stop the run.
 */
export function isSkippableFileError(error: unknown): error is SpgError {
  return SpgError.isInstance(error) && !SpgCacheError.isInstance(error) && !SpgConfigError.isInstance(error);
}

import { SpgCacheError } from './spg-cache-error';
import { SpgConfigError } from './spg-config-error';
import { SpgError } from './spg-error';
import { SpgExtractorError } from './spg-extractor-error';

/**
 * Whether `error` concerns one audio file only (it cannot be decoded or read, its metadata entry is
 * invalid), so `onError: 'skip'` may leave that file out. Configuration, cache and extractor errors
 * concern every file, and errors that are not `SpgError`s are bugs: those always stop the run.
 */
export function isSkippableFileError(error: unknown): error is SpgError {
  return (
    SpgError.isInstance(error) &&
    !SpgCacheError.isInstance(error) &&
    !SpgConfigError.isInstance(error) &&
    !SpgExtractorError.isInstance(error)
  );
}

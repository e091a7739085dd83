import { SpgError } from '../errors/spg-error';

/** What a read-only open found missing: the index for these options, or cached spectrograms. */
export type NotBuiltPart = 'index' | 'spectrograms';

const firstFew = (paths: readonly string[], limit = 3) =>
  paths.length > limit
    ? `${paths.slice(0, limit).join(', ')} and ${paths.length - limit} more`
    : paths.join(', ');

/**
 * A dataset opened with `readOnly: true` lacks something that opening it normally would build.
 * Read-only opens never index or generate, so tools that only look at a built dataset (the explorer)
 * can say "build it first" instead of silently doing the work.
 */
export function notBuiltError(
  part: NotBuiltPart,
  what: { indexFingerprint?: string; missing?: readonly string[]; total?: number },
): SpgError {
  const fix = 'build it first with the same options (spgdataset build, or open it once without readOnly)';
  if (part === 'index')
    return new SpgError(
      'SPG_DATASET_NOT_BUILT',
      `the dataset is not built: the index store holds no index for these files and options (fingerprint ${what.indexFingerprint}); ${fix}.`,
      { part, indexFingerprint: what.indexFingerprint },
    );
  const missing = what.missing ?? [];
  return new SpgError(
    'SPG_DATASET_NOT_BUILT',
    `the dataset is not built: ${missing.length}${what.total ? ` of ${what.total}` : ''} spectrogram${missing.length === 1 ? ' is' : 's are'} missing from the cache (${firstFew(missing)}); ${fix}.`,
    { part, missing: [...missing] },
  );
}

import { SpgError } from '../errors/spg-error';

/** A source could not list, stat or read a file (missing, refused, network). Names the file. */
export function sourceReadError(sourceId: string, path: string, why: string, cause?: unknown): SpgError {
  return new SpgError(
    'SPG_SOURCE_READ_FAILED',
    `${sourceId} could not read "${path}": ${why}`,
    { file: path, sourceId },
    {
      cause,
    },
  );
}

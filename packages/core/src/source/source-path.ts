import { SpgConfigError } from '../errors/spg-config-error';

/** Throws `SpgConfigError` (at `where`) unless `path` is a relative POSIX path with no `..`, `.` or empty segment. */
export function assertSourcePath(path: string, where: string): void {
  const bad =
    typeof path !== 'string' ||
    path.length === 0 ||
    path.startsWith('/') ||
    path.includes('\\') ||
    path.includes('\0') ||
    /^[a-zA-Z]:/.test(path) ||
    path.split('/').some((s) => s === '' || s === '.' || s === '..');
  if (bad)
    throw new SpgConfigError([
      {
        path: where,
        message: `"${path}" is not a safe relative POSIX path (no leading "/", "..", "." or empty segments, no backslashes), e.g. "speech/a.wav"`,
      },
    ]);
}

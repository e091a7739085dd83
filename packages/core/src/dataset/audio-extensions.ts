/** Extensions (lower case, no dot) scanned as audio (docs/behaviour.md#metadata-json); other files are reported as skipped. */
export const audioExtensions: readonly string[] = [
  'wav',
  'wave',
  'mp3',
  'flac',
  'ogg',
  'oga',
  'opus',
  'm4a',
  'mp4',
  'aac',
  'webm',
  'aif',
  'aiff',
  'aifc',
  'caf',
  'qoa',
];

/** True when `path` has one of `audioExtensions`, case-insensitively. */
export function isAudioPath(path: string): boolean {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return false;
  return audioExtensions.includes(path.slice(dot + 1).toLowerCase());
}

/**
 * The warning for a file whose decoded length differs from its metadata.json `length` by more than
 * one window offset (docs/behaviour.md#metadata-json), or `undefined` when they agree that closely. Windows and masks follow
 * the metadata length, so a shorter file yields silent frames marked as content and a longer one
 * loses its end.
 */
export function lengthMismatch(
  path: string,
  length: number,
  decoded: number,
  windowOffset: number,
): string | undefined {
  if (Math.abs(decoded - length) <= windowOffset) return undefined;
  const what = decoded < length ? 'less' : 'more';
  return `"${path}" decodes to ${what} audio than its length ${length} in metadata.json (${decoded} samples, a difference of more than one window offset of ${windowOffset}); windows follow the metadata length — fix or remove "length".`;
}

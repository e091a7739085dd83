/** The lower-case extension of `path` ('' when it has none), for wording errors. */
export function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 || dot < path.lastIndexOf('/') ? '' : path.slice(dot + 1).toLowerCase();
}

/** The first bytes, shown in errors: as text when they look like text, else as hex. */
export function preview(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 16);
  const printable = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  if (printable) return `text ${JSON.stringify(new TextDecoder().decode(head))}`;
  return `bytes ${[...head].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

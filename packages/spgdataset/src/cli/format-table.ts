/**
 * Plain-text table: the header row, then rows; columns padded to their widest cell, text
 * left-aligned and numbers (cells that parse as numbers or percentages) right-aligned.
 */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? '')].length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => isNumberCell(r[c] ?? '')));
  const line = (row: string[]) =>
    row
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c]! - [...cell].length);
        return numeric[c] && c > 0 ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function isNumberCell(cell: string): boolean {
  return /^-?[\d.,]+(%| ?[kMG]?B| s| h)?$/.test(cell);
}

/** Seconds as "0.0083 h (30.0 s)"; hours with 4 significant digits. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return 'unknown';
  return `${Number((seconds / 3600).toPrecision(4))} h (${seconds.toFixed(1)} s)`;
}

/** Bytes as B / kB / MB / GB (powers of 1000). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

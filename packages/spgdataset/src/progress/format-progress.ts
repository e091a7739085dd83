import type { ProgressEvent, ProgressPhase } from '@spgdataset/core';

/** What each phase counts. */
const units: Record<ProgressPhase, string> = {
  index: 'files',
  generate: 'files',
  preload: 'entries',
  export: 'items',
};

/** `1.5 MB`, `320 kB`, `12 B` (decimal units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const prefixes = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let i = 0;
  while (value >= 1000 && i < prefixes.length - 1) {
    value /= 1000;
    i++;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${prefixes[i]}`;
}

/** `42 s`, `3 min 05 s`, `2 h 07 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** The counts of an event without its phase: `12/80 files (15.0%), 3.20 MB, 4.1 files/s, ETA 17 s`. */
export function formatProgressCounts(event: ProgressEvent): string {
  const unit = units[event.phase] ?? 'items';
  const parts = [
    event.total === undefined
      ? `${event.done} ${unit}`
      : `${event.done}/${event.total} ${unit} (${event.total > 0 ? ((100 * event.done) / event.total).toFixed(1) : '100.0'}%)`,
  ];
  if (event.bytes !== undefined) parts.push(formatBytes(event.bytes));
  if (event.rate !== undefined && Number.isFinite(event.rate))
    parts.push(`${event.rate.toFixed(1)} ${unit}/s`);
  if (event.etaSeconds !== undefined && Number.isFinite(event.etaSeconds) && event.done !== event.total)
    parts.push(`ETA ${formatDuration(event.etaSeconds)}`);
  return parts.join(', ');
}

/** One plain line for logs: `generate 12/80 files (15.0%), 4.1 files/s, ETA 17 s`. */
export function formatProgress(event: ProgressEvent): string {
  return `${event.phase} ${formatProgressCounts(event)}`;
}

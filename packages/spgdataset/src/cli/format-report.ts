import type { GenerationStats } from '@spgdataset/core';
import type { DatasetFacts } from './dataset-facts';
import { formatBytes, formatDuration, formatPercent, formatTable } from './format-table';

function fieldLines(fields: [string, string][]): string {
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

function windowsLine(splits: { name: string; items: number }[]): string {
  const total = splits.reduce((a, s) => a + s.items, 0);
  if (splits.length === 1) return `${total}`;
  return `${splits.map((s) => `${s.name} ${s.items}`).join(', ')} (${total} total)`;
}

/** The `inspect` report: totals, then tables of splits, classes, mask coverage and skipped files. */
export function formatInspect(facts: DatasetFacts): string {
  const total = facts.splits.reduce((a, s) => a + s.items, 0);
  const parts: string[] = [
    fieldLines([
      ['files', `${facts.files}`],
      ['audio', formatDuration(facts.audioSeconds)],
      ['windows', `${total}`],
      ['skipped', `${facts.skipped.length}`],
      ['not audio', facts.nonAudio.length ? facts.nonAudio.join(', ') : '-'],
    ]),
    formatTable(
      ['split', 'windows'],
      facts.splits.map((s) => [s.name, `${s.items}`]),
    ),
  ];
  if (facts.classes.length)
    parts.push(
      formatTable(
        ['class', ...facts.splits.map((s) => s.name), 'total'],
        facts.classes.map((c) => [c.name, ...c.perSplit.map(String), `${c.total}`]),
      ),
    );
  if (facts.masks.length)
    parts.push(
      formatTable(
        ['mask', 'coverage', 'frames set', 'frames'],
        facts.masks.map((m) => [m.name, formatPercent(m.coverage), `${m.framesSet}`, `${m.frames}`]),
      ),
    );
  if (facts.skipped.length)
    parts.push(
      formatTable(
        ['skipped file', 'reason'],
        facts.skipped.map((s) => [s.path, s.reason]),
      ),
    );
  if (facts.warnings.length) parts.push(facts.warnings.map((w) => `warning: ${w}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}

export interface BuildSummary {
  files: number;
  audioSeconds: number | undefined;
  splits: { name: string; items: number }[];
  /** The .npy folder and its size, or the cache plugin's id. */
  cache: { bytes: number; root: string } | { plugin: string };
  wallSeconds: number;
  spectrograms: GenerationStats;
  skipped: number;
  /** Feature extractor id, e.g. 'dsp-wasm/log-mel'. */
  extractor: string;
}

/** The summary `build` ends with. */
export function formatBuildSummary(s: BuildSummary): string {
  const speed =
    s.audioSeconds !== undefined && s.wallSeconds > 0
      ? `${(s.audioSeconds / s.wallSeconds).toFixed(1)}x real time`
      : 'real-time factor unknown';
  return `${fieldLines([
    ['files', `${s.files}${s.skipped ? ` (${s.skipped} skipped)` : ''}`],
    ['audio', formatDuration(s.audioSeconds)],
    ['windows', windowsLine(s.splits)],
    [
      'spectrograms',
      `${s.spectrograms.generated} generated, ${s.spectrograms.cached} already cached, ${s.spectrograms.regenerated} repaired`,
    ],
    ['extractor', s.extractor],
    [
      'cache',
      'root' in s.cache ? `${formatBytes(s.cache.bytes)} on disk in ${s.cache.root}` : s.cache.plugin,
    ],
    ['time', `${s.wallSeconds.toFixed(2)} s, ${speed}`],
  ])}\n`;
}

export interface ExportSummary {
  items: number;
  split: string;
  shards: number;
  bytes: number;
  keptShards: number;
  manifestPath: string;
  wallSeconds: number;
}

/** The summary `export` ends with. */
export function formatExportSummary(s: ExportSummary): string {
  const fields: [string, string][] = [
    ['items', `${s.items} (${s.split})`],
    ['shards', `${s.shards}, ${formatBytes(s.bytes)}`],
    ['manifest', s.manifestPath],
  ];
  if (s.keptShards > 0) fields.push(['resumed', `${s.keptShards} finished shards kept (sha256 checked)`]);
  fields.push(['time', `${s.wallSeconds.toFixed(2)} s`]);
  return `${fieldLines(fields)}\n`;
}

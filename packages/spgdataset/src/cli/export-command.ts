import { resolve } from 'node:path';
import { exportShards } from '@spgdataset/core/node';
import type { CliContext } from './cli-context';
import { openWithProgress, progressRenderer } from './cli-context';
import { formatExportSummary } from './format-report';
import { splitName } from './inspectable-dataset';

/** The flags `export` adds to the dataset flags. */
export interface ExportFlags {
  format: 'webdataset';
  out: string;
  maxItems?: number;
  maxBytes?: number;
  shuffleSeed?: number;
  prefix?: string;
  overwrite?: boolean;
}

/**
 * `spgdataset export --format webdataset --out DIR`: opens the dataset like `build` (generating
 * what is missing), then writes the chosen split (default train) as WebDataset tar shards and
 * manifest.json, with progress. Rerunning after an interruption keeps the finished shards.
 */
export async function exportCommand(
  options: Record<string, unknown>,
  mode: number | undefined,
  flags: ExportFlags,
  ctx: CliContext,
): Promise<void> {
  const started = ctx.now();
  const progress = progressRenderer(ctx.stderr);
  const ds = await openWithProgress(ctx, options, progress);
  try {
    const split = mode ?? 0;
    const result = await exportShards(ds, {
      dir: resolve(ctx.cwd, flags.out),
      mode: split,
      prefix: flags.prefix ?? splitName(split).replace(/\s+/g, '-'),
      maxItemsPerShard: flags.maxItems,
      maxBytesPerShard: flags.maxBytes,
      shuffleSeed: flags.shuffleSeed,
      overwrite: flags.overwrite,
      onProgress: progress,
    });
    progress.finish();
    const { manifest } = result;
    ctx.stdout.write(
      formatExportSummary({
        items: manifest.items,
        split: splitName(split),
        shards: manifest.shards.length,
        bytes: manifest.shards.reduce((n, s) => n + s.bytes, 0),
        keptShards: result.keptShards,
        manifestPath: result.manifestPath,
        wallSeconds: (ctx.now() - started) / 1000,
      }),
    );
  } finally {
    progress.finish();
    ds.dispose?.();
  }
}

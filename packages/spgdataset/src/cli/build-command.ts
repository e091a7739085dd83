import type { ProgressEvent } from '@spgdataset/core';
import type { CliContext } from './cli-context';
import { openWithProgress, progressRenderer } from './cli-context';
import { folderBytes, indexedAudioSeconds } from './disk-facts';
import { formatBuildSummary } from './format-report';
import { splitName } from './inspectable-dataset';

/**
 * What Ctrl-C during `build` leaves: finished spectrograms are complete files (written atomically)
 * and a rerun reuses them, so the message says how far it got and that rerunning resumes.
 */
export function interruptedMessage(latest: Partial<Record<ProgressEvent['phase'], ProgressEvent>>): string {
  const resume = 'rerun the same command to resume';
  const generate = latest.generate;
  if (generate) return `interrupted: ${generate.done} of ${generate.total ?? '?'} files generated; ${resume}`;
  const index = latest.index;
  if (index) {
    return `interrupted while indexing: ${index.done} of ${index.total ?? '?'} files read, spectrograms made so far are kept; ${resume}`;
  }
  return `interrupted before any file was read; ${resume}`;
}

/** `spgdataset build`: index and generate every spectrogram with progress, then print a summary. */
export async function buildCommand(
  options: Record<string, unknown>,
  mode: number | undefined,
  ctx: CliContext,
): Promise<void> {
  const started = ctx.now();
  const progress = progressRenderer(ctx.stderr);
  const stopListening = ctx.onInterrupt?.(() => {
    progress.finish();
    ctx.stderr.write(`\n${interruptedMessage(progress.latest)}\n`);
  });
  let ds: Awaited<ReturnType<CliContext['open']>>;
  try {
    ds = await openWithProgress(ctx, options, progress);
  } finally {
    stopListening?.();
    progress.finish();
  }
  try {
    if (mode !== undefined) ds.setMode(mode);
    const wallSeconds = (ctx.now() - started) / 1000;
    const report = ds.report();
    const spectrogramsRoot = options.spectrogramsRoot as string | undefined;
    ctx.stdout.write(
      formatBuildSummary({
        files: report.files,
        skipped: report.skipped.length,
        audioSeconds: await indexedAudioSeconds(
          options.indexRoot as string,
          ds.indexFingerprint,
          ds.sizes.sampleRate,
        ),
        splits: report.splitItems.map((items, k) => ({ name: splitName(k), items })),
        // A cache plugin of the user's (the "cache" option) keeps its entries where it likes.
        cache: spectrogramsRoot
          ? { bytes: await folderBytes(spectrogramsRoot), root: spectrogramsRoot }
          : { plugin: report.cache ?? 'a cache plugin' },
        wallSeconds,
        spectrograms: report.spectrograms,
        extractor: report.extractor,
      }),
    );
  } finally {
    ds.dispose?.();
  }
}

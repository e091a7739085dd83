import type { CliContext } from './cli-context';
import { progressRenderer, stderrLogger } from './cli-context';
import { folderBytes, indexedAudioSeconds } from './disk-facts';
import { formatBuildSummary } from './format-report';
import { splitName } from './inspectable-dataset';

/** `spgdataset build`: index and generate every spectrogram with progress, then print a summary. */
export async function buildCommand(
  options: Record<string, unknown>,
  mode: number | undefined,
  ctx: CliContext,
): Promise<void> {
  const started = ctx.now();
  const progress = progressRenderer(ctx.stderr);
  let ds: Awaited<ReturnType<CliContext['open']>>;
  try {
    ds = await ctx.open({ ...options, onProgress: progress, logger: stderrLogger(ctx.stderr) });
  } finally {
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

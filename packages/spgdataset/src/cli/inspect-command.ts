import type { CliContext } from './cli-context';
import { openWithProgress, progressRenderer } from './cli-context';
import { gatherFacts } from './dataset-facts';
import { isObject } from './dataset-flags';
import { indexedAudioSeconds } from './disk-facts';
import { formatInspect } from './format-report';

/**
 * `spgdataset inspect`: the dataset as tables. Opens it without spectrograms, so it reads (or
 * builds) the index only and never generates spectrograms.
 */
export async function inspectCommand(
  options: Record<string, unknown>,
  mode: number | undefined,
  ctx: CliContext,
): Promise<void> {
  const output = isObject(options.outputConfiguration) ? options.outputConfiguration : {};
  const progress = progressRenderer(ctx.stderr);
  let ds: Awaited<ReturnType<CliContext['open']>>;
  try {
    ds = await openWithProgress(
      ctx,
      { ...options, outputConfiguration: { ...output, spectrogram: false, audio: false } },
      progress,
      // The report lists the dataset's warnings; printing them on stderr as well would repeat them.
      { info: () => {}, warn: () => {} },
    );
  } finally {
    progress.finish();
  }
  try {
    if (mode !== undefined) ds.setMode(mode);
    const seconds = await indexedAudioSeconds(
      options.indexRoot as string,
      ds.indexFingerprint,
      ds.sizes.sampleRate,
    );
    ctx.stdout.write(`dataset  ${options.audioRoot}\n${formatInspect(await gatherFacts(ds, seconds))}`);
  } finally {
    ds.dispose?.();
  }
}

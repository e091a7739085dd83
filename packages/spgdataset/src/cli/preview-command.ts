import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliContext } from './cli-context';
import { progressRenderer, stderrLogger } from './cli-context';
import { CliUsageError } from './cli-usage-error';
import { isObject } from './dataset-flags';
import { splitName } from './inspectable-dataset';
import { encodePng, renderPreview } from './render-preview';

/**
 * `spgdataset preview --item i --out item.png`: a picture of one item with its masks. Opens the
 * dataset without generating (`generate: 'on-demand'`), checks `--item` against the split's length
 * before anything is made, then makes only the spectrogram of the item's file.
 */
export async function previewCommand(
  options: Record<string, unknown>,
  preview: { mode: number | undefined; item: number; out: string },
  ctx: CliContext,
): Promise<void> {
  const output = isObject(options.outputConfiguration) ? options.outputConfiguration : {};
  const progress = progressRenderer(ctx.stderr);
  let ds: Awaited<ReturnType<CliContext['open']>>;
  try {
    ds = await ctx.open({
      ...options,
      outputConfiguration: { ...output, spectrogram: true, audio: false },
      generate: 'on-demand',
      onProgress: progress,
      logger: stderrLogger(ctx.stderr),
    });
  } finally {
    progress.finish();
  }
  try {
    const mode = preview.mode ?? 0;
    ds.setMode(mode);
    if (preview.item >= ds.length)
      throw new CliUsageError(
        `--item ${preview.item} is out of range: ${splitName(mode)} has ${ds.length} item${ds.length === 1 ? '' : 's'}${ds.length ? ` (0..${ds.length - 1})` : ''}.`,
      );
    const item = await ds.get(preview.item);
    const where = ds.locate(preview.item);
    if (!item.spectrogram) throw new Error('the dataset returned no spectrogram although one was requested');
    const label = item.label !== undefined ? `label ${ds.classes[item.label]}   ` : '';
    const start = where.startSample / ds.sizes.sampleRate;
    const details = ds.outputConfiguration.meta
      .map((key) => {
        const value = item.meta?.[key];
        return `${key} ${typeof value === 'string' ? value : JSON.stringify(value ?? null)}`;
      })
      .join(', ');
    const image = renderPreview({
      spectrogram: item.spectrogram,
      masks: ds.outputConfiguration.masks.map((name) => ({
        name,
        values: item.masks?.[name]?.data ?? new Float32Array(0),
      })),
      title: `${label}${where.path}`,
      details,
      subtitle: `${splitName(mode)} item ${preview.item} of ${ds.length}, window ${where.window} at ${Number(start.toFixed(3))} s, content ${Number(where.contentRatio.toFixed(3))}`,
      startSeconds: start,
      framesPerSecond: ds.sizes.spgFps,
    });
    const out = resolve(ctx.cwd, preview.out);
    try {
      await writeFile(out, encodePng(image));
    } catch (error) {
      throw new CliUsageError(
        `--out ${out}: cannot write it (${(error as NodeJS.ErrnoException).code ?? error}).`,
      );
    }
    // The names in full (the picture's font folds accents and boxes other scripts).
    const described = [where.path, label.trim(), details].filter(Boolean).join(', ');
    ctx.stdout.write(`wrote ${out} (${image.width}x${image.height}): ${described}\n`);
  } finally {
    ds.dispose?.();
  }
}

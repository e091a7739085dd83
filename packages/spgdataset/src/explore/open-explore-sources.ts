import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type DatasetIndex, type Interval, parseMetadataFile, SpgError } from '@spgdataset/core';
import { fileIndexStore } from '@spgdataset/core/node';
import type { OpenDataset } from '../cli/cli-context';
import { gatherFacts } from '../cli/dataset-facts';
import { isObject } from '../cli/dataset-flags';
import { indexedAudioSeconds } from '../cli/disk-facts';
import type { InspectableDataset } from '../cli/inspectable-dataset';
import { buildExploreModel } from './explore-model';
import { exploreSummary } from './explore-summary';
import type { ExploreSources } from './start-explore-server';

export interface OpenedExploreSources extends ExploreSources {
  /** Drops what the opened datasets hold. */
  dispose(): void;
}

/** Every interval name metadata.json gives each file (the index keeps only the requested masks). */
async function annotationsOf(path: unknown): Promise<Map<string, Record<string, Interval[]>> | undefined> {
  if (typeof path !== 'string') return undefined;
  const parsed = parseMetadataFile(new Uint8Array(await readFile(path)), basename(path));
  return new Map(
    Object.entries(parsed).map(([key, entry]) => [key, entry.intervals as Record<string, Interval[]>]),
  );
}

/**
 * Opens the BUILT dataset of `options` read-only (a missing index or spectrogram is an
 * `SPG_DATASET_NOT_BUILT` error, nothing is generated) three ways: without spectrograms to count
 * what `inspect` counts and list every item, with spectrograms for the item view, and with audio to
 * play windows (one dataset does both when the options ask for audio).
 */
export async function openExploreSources(
  options: Record<string, unknown>,
  mode: number | undefined,
  open: OpenDataset,
): Promise<OpenedExploreSources> {
  const output = isObject(options.outputConfiguration) ? options.outputConfiguration : {};
  const quiet = { info: () => {}, warn: () => {} };
  const opened: InspectableDataset[] = [];
  const openAs = async (extra: Record<string, unknown>) => {
    const ds = await open({
      ...options,
      outputConfiguration: { ...output, ...extra },
      readOnly: true,
      // The summary lists the dataset's warnings; the console need not repeat them.
      logger: quiet,
    });
    opened.push(ds);
    return ds;
  };
  const dispose = () => {
    for (const ds of opened) ds.dispose?.();
  };
  try {
    const light = await openAs({ spectrogram: false, audio: false });
    const items = await openAs({ spectrogram: true });
    const audio = items.outputConfiguration.audio
      ? undefined
      : await openAs({ spectrogram: false, audio: true });
    const stored = await fileIndexStore(options.indexRoot as string).load(light.indexFingerprint);
    const files = (stored as unknown as DatasetIndex | undefined)?.files;
    if (!Array.isArray(files))
      throw new SpgError(
        'SPG_DATASET_NOT_BUILT',
        `the index ${light.indexFingerprint} under ${options.indexRoot} cannot be read; build the dataset again.`,
      );
    // One after the other: both walk the split parts of `light` with setMode.
    const model = await buildExploreModel(light, files, await annotationsOf(options.metadataJsonPath));
    const seconds = await indexedAudioSeconds(
      options.indexRoot as string,
      light.indexFingerprint,
      light.sizes.sampleRate,
    );
    const facts = await gatherFacts(light, seconds);
    const summary = exploreSummary({
      title: String(options.audioRoot),
      facts,
      model,
      sizes: items.sizes,
      output: light.outputConfiguration,
      initialSplit: mode ?? null,
    });
    return { summary, model, items, ...(audio ? { audio } : {}), dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

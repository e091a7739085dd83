import type { SkippedFile } from '@spgdataset/core';
import { type InspectableDataset, splitName } from './inspectable-dataset';

/** Everything `inspect` prints, gathered from a dataset. */
export interface DatasetFacts {
  files: number;
  /** Seconds of indexed audio, when the file lengths could be read. */
  audioSeconds: number | undefined;
  /** Kept windows per split part. */
  splits: { name: string; items: number }[];
  /** Label classes with their window counts per split part (in `splits` order) and in total. */
  classes: { name: string; perSplit: number[]; total: number }[];
  /** Share of mask frames set over all kept windows, per requested mask. */
  masks: { name: string; coverage: number; framesSet: number; frames: number }[];
  skipped: SkippedFile[];
  nonAudio: string[];
  warnings: string[];
}

/**
 * Walks every kept window of every split part once (through `get`, so what is counted is exactly
 * what items carry) and tallies labels and mask frames. Open the dataset without spectrograms
 * (`outputConfiguration.spectrogram: false`) to make this cheap. Restores the dataset's mode.
 */
export async function gatherFacts(
  ds: InspectableDataset,
  audioSeconds: number | undefined,
): Promise<DatasetFacts> {
  const report = ds.report();
  const { mode, fraction } = report;
  const output = ds.outputConfiguration;
  const classCounts = ds.classes.map(() => report.splitItems.map(() => 0));
  const framesSet = output.masks.map(() => 0);
  let frames = 0;
  try {
    for (let k = 0; k < report.splitItems.length; k++) {
      if (report.splitItems[k] === 0) continue;
      ds.setMode(k);
      for (let i = 0; i < ds.length; i++) {
        const item = await ds.get(i);
        if (item.label !== undefined) classCounts[item.label]![k]!++;
        output.masks.forEach((name, m) => {
          const values = item.masks?.[name]?.data;
          if (!values) return;
          for (const v of values) if (v >= 0.5) framesSet[m]!++;
        });
        frames += ds.sizes.spgLength;
      }
    }
  } finally {
    ds.setMode(mode, fraction);
  }
  return {
    files: report.files,
    audioSeconds,
    splits: report.splitItems.map((items, k) => ({ name: splitName(k), items })),
    classes: ds.classes.map((name, c) => ({
      name,
      perSplit: classCounts[c]!,
      total: classCounts[c]!.reduce((a, b) => a + b, 0),
    })),
    masks: output.masks.map((name, m) => ({
      name,
      framesSet: framesSet[m]!,
      frames,
      coverage: frames ? framesSet[m]! / frames : 0,
    })),
    skipped: report.skipped,
    nonAudio: report.nonAudio,
    warnings: report.warnings,
  };
}

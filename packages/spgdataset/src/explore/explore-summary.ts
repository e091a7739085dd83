import type { DerivedSizes, OutputConfiguration } from '@spgdataset/core';
import type { DatasetFacts } from '../cli/dataset-facts';
import type { Histogram, SummaryResponse } from './explore-api';
import type { ExploreModel } from './explore-model';

/** `bins` equal bins over [low, high] (one bin when they are equal); the top edge is inclusive. */
export function histogram(values: ArrayLike<number>, bins: number, low: number, high: number): Histogram {
  const width = high > low ? (high - low) / bins : 0;
  const n = width > 0 ? bins : 1;
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++) {
    const k = width > 0 ? Math.floor((values[i]! - low) / width) : 0;
    counts[Math.max(0, Math.min(n - 1, k))]!++;
  }
  const edges = Array.from({ length: n + 1 }, (_, k) => (width > 0 ? low + k * width : k === 0 ? low : high));
  return { edges, counts };
}

/** Distinct values shown as a menu when a field has at most this many. */
const MENU_VALUES = 40;

function metaFields(model: ExploreModel): SummaryResponse['metaFields'] {
  const values = new Map<string, Set<string>>();
  for (const file of model.files)
    for (const [key, text] of Object.entries(file.metaText)) {
      const set = values.get(key) ?? new Set<string>();
      values.set(key, set);
      if (set.size <= MENU_VALUES) set.add(text);
    }
  return [...values.keys()].sort().map((name) => {
    const set = values.get(name)!;
    return { name, values: set.size <= MENU_VALUES ? [...set].sort() : null };
  });
}

export interface SummaryInput {
  title: string;
  facts: DatasetFacts;
  model: ExploreModel;
  sizes: DerivedSizes;
  output: OutputConfiguration;
  initialSplit: number | null;
}

/** What GET /api/summary answers: inspect's facts, the distributions and the filter choices. */
export function exploreSummary({
  title,
  facts,
  model,
  sizes,
  output,
  initialSplit,
}: SummaryInput): SummaryResponse {
  const seconds = model.files.map((f) => f.length / sizes.sampleRate);
  let longest = 0;
  for (const s of seconds) longest = Math.max(longest, s);
  const names = new Set<string>(output.masks);
  for (const file of model.files) for (const name of Object.keys(file.annotations)) names.add(name);
  return {
    title,
    files: facts.files,
    audioSeconds: facts.audioSeconds ?? null,
    items: facts.splits.reduce((a, s) => a + s.items, 0),
    splits: facts.splits,
    classes: facts.classes,
    masks: facts.masks,
    skipped: facts.skipped,
    nonAudio: facts.nonAudio,
    warnings: facts.warnings,
    durations: histogram(seconds, 20, 0, longest),
    contentRatios: histogram(model.itemRatio, 20, 0, 1),
    metaFields: metaFields(model),
    sizes: {
      sampleRate: sizes.sampleRate,
      hopLength: sizes.hopLength,
      windowSize: sizes.windowSize,
      windowOffset: sizes.windowOffset,
      spgLength: sizes.spgLength,
      spgOffset: sizes.spgOffset,
    },
    output: { audio: output.audio, masks: [...output.masks], meta: [...output.meta], label: output.label },
    annotationNames: [...names].sort(),
    initialSplit,
  };
}

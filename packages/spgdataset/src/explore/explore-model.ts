import type { IndexedFile, Interval, Json } from '@spgdataset/core';
import type { InspectableDataset } from '../cli/inspectable-dataset';

/** One indexed file as the explorer shows it. */
export interface ExploreFile {
  path: string;
  /** The path in lower case, for case-insensitive search. */
  pathLower: string;
  /** Samples at sampleRate. */
  length: number;
  metadata: Record<string, Json>;
  /** The file's metadata values as text, for rows and filters. */
  metaText: Record<string, string>;
  /** Interval annotations by name (metadata.json's, else the index's requested masks). */
  annotations: Record<string, Interval[]>;
  /** Class index of the file's label, -1 without a label or without a kept window. */
  label: number;
}

/**
 * Every kept window of every split part as columns (so 100k+ items stay a few typed arrays), the
 * files they come from, and each file's items. Item id `g` is split part `itemSplit[g]`, item
 * `g - splitStart[itemSplit[g]]` of that part, in the dataset's order.
 */
export interface ExploreModel {
  files: ExploreFile[];
  fileByPath: Map<string, number>;
  classes: readonly string[];
  splitStart: number[];
  itemFile: Int32Array;
  itemSplit: Uint8Array;
  itemWindow: Int32Array;
  itemRatio: Float64Array;
  /** Items of file f: `fileItems.subarray(fileItemStart[f], fileItemStart[f + 1])`, in window order. */
  fileItemStart: Int32Array;
  fileItems: Int32Array;
}

export function textOf(value: Json | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Reads the item table of `ds` (through `locate`, and `get` once per file for its label) against
 * the persisted index's files. Leaves `ds` in mode 0; open `ds` without spectrograms to keep it cheap.
 */
export async function buildExploreModel(
  ds: InspectableDataset,
  indexFiles: readonly IndexedFile[],
  annotations?: ReadonlyMap<string, Record<string, Interval[]>>,
): Promise<ExploreModel> {
  const fileByPath = new Map(indexFiles.map((f, i) => [f.path, i]));
  const splitItems = ds.report().splitItems;
  const total = splitItems.reduce((a, b) => a + b, 0);
  const itemFile = new Int32Array(total);
  const itemSplit = new Uint8Array(total);
  const itemWindow = new Int32Array(total);
  const itemRatio = new Float64Array(total);
  const splitStart: number[] = [];
  const labelled = ds.outputConfiguration.label !== null;
  const label = new Int32Array(indexFiles.length).fill(-1);
  const firstItem: [number, number, number][] = [];
  const seen = new Uint8Array(indexFiles.length);
  let g = 0;
  for (let k = 0; k < splitItems.length; k++) {
    splitStart.push(g);
    if (splitItems[k] === 0) continue;
    ds.setMode(k);
    for (let i = 0; i < ds.length; i++, g++) {
      const at = ds.locate(i);
      const f = fileByPath.get(at.path);
      if (f === undefined)
        throw new Error(`item ${i} of split part ${k} comes from "${at.path}", not in the index`);
      itemFile[g] = f;
      itemSplit[g] = k;
      itemWindow[g] = at.window;
      itemRatio[g] = at.contentRatio;
      if (labelled && !seen[f]) {
        seen[f] = 1;
        firstItem.push([f, k, i]);
      }
    }
  }
  for (const [f, k, i] of firstItem) {
    ds.setMode(k);
    label[f] = (await ds.get(i)).label ?? -1;
  }
  if (splitItems.length) ds.setMode(0);

  // Items per file in window order: a counting sort by file, then by window within each file.
  const fileItemStart = new Int32Array(indexFiles.length + 1);
  for (let j = 0; j < total; j++) fileItemStart[itemFile[j]! + 1]!++;
  for (let f = 0; f < indexFiles.length; f++) fileItemStart[f + 1]! += fileItemStart[f]!;
  const fill = fileItemStart.slice(0, indexFiles.length);
  const fileItems = new Int32Array(total);
  for (let j = 0; j < total; j++) fileItems[fill[itemFile[j]!]!++] = j;
  for (let f = 0; f < indexFiles.length; f++) {
    const own = fileItems.subarray(fileItemStart[f]!, fileItemStart[f + 1]!);
    own.sort((a, b) => itemWindow[a]! - itemWindow[b]!);
  }

  const files = indexFiles.map((f, i): ExploreFile => {
    const metaText: Record<string, string> = {};
    for (const [key, value] of Object.entries(f.metadata)) metaText[key] = textOf(value);
    return {
      path: f.path,
      pathLower: f.path.toLowerCase(),
      length: f.length,
      metadata: f.metadata,
      metaText,
      annotations: annotations?.get(f.path) ?? f.intervals,
      label: label[i]!,
    };
  });
  return {
    files,
    fileByPath,
    classes: ds.classes,
    splitStart,
    itemFile,
    itemSplit,
    itemWindow,
    itemRatio,
    fileItemStart,
    fileItems,
  };
}

import type { ItemRow } from './explore-api';
import type { ExploreModel } from './explore-model';

/** Row `id` of the item list. */
export function itemRow(model: ExploreModel, id: number, windowOffset: number): ItemRow {
  const file = model.files[model.itemFile[id]!]!;
  const split = model.itemSplit[id]!;
  const window = model.itemWindow[id]!;
  return {
    id,
    split,
    index: id - model.splitStart[split]!,
    path: file.path,
    window,
    startSample: window * windowOffset,
    contentRatio: model.itemRatio[id]!,
    label: file.label >= 0 ? (model.classes[file.label] ?? null) : null,
    meta: file.metaText,
  };
}

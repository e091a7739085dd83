import type { ExploreModel } from './explore-model';

/** A filter of the item list; every given part must match. */
export interface ItemQuery {
  /** Split part index. */
  split?: number;
  /** Class index (`classes[label]`). */
  label?: number;
  /** Case-insensitive substring of the file path. */
  path?: string;
  /** Metadata field = value (as text), exactly. */
  meta: [string, string][];
}

function whole(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

/** The query of `/api/items?split=0&label=1&path=speech/&meta.gender=f`; a bad number matches nothing. */
export function parseItemQuery(params: URLSearchParams): ItemQuery {
  const query: ItemQuery = { meta: [] };
  const split = whole(params.get('split'));
  if (split !== undefined) query.split = split;
  const label = whole(params.get('label'));
  if (label !== undefined) query.label = label;
  const path = params.get('path');
  if (path) query.path = path.toLowerCase();
  for (const [key, value] of params) if (key.startsWith('meta.')) query.meta.push([key.slice(5), value]);
  query.meta.sort();
  return query;
}

/** A stable key of a query, for caching its result. */
export function queryKey(query: ItemQuery): string {
  return JSON.stringify([query.split, query.label, query.path, query.meta]);
}

/**
 * Ids of the items matching `query`, in list order. The path, label and metadata parts are per file,
 * so they are decided once per file; the loop over items only reads two typed arrays.
 */
export function filterItems(model: ExploreModel, query: ItemQuery): Int32Array {
  const { files, itemFile, itemSplit } = model;
  const fileOk = new Uint8Array(files.length);
  let anyFile = false;
  for (let f = 0; f < files.length; f++) {
    const file = files[f]!;
    const ok =
      (query.label === undefined || file.label === query.label) &&
      (query.path === undefined || file.pathLower.includes(query.path)) &&
      query.meta.every(([key, value]) => file.metaText[key] === value);
    if (ok) {
      fileOk[f] = 1;
      anyFile = true;
    }
  }
  const total = itemFile.length;
  if (!anyFile) return new Int32Array(0);
  const out = new Int32Array(total);
  let n = 0;
  const split = query.split;
  for (let g = 0; g < total; g++)
    if (fileOk[itemFile[g]!] && (split === undefined || itemSplit[g] === split)) out[n++] = g;
  return out.subarray(0, n);
}

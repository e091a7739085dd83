// The JSON the explore server answers and the page reads: types only, shared by both sides.

/** A histogram: `counts[k]` values fell in `[edges[k], edges[k + 1])` (the last bin is closed). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** GET /api/summary: what `spgdataset inspect` prints, plus distributions and the filter choices. */
export interface SummaryResponse {
  title: string;
  files: number;
  audioSeconds: number | null;
  items: number;
  splits: { name: string; items: number }[];
  classes: { name: string; perSplit: number[]; total: number }[];
  masks: { name: string; coverage: number; framesSet: number; frames: number }[];
  skipped: { path: string; reason: string }[];
  nonAudio: string[];
  warnings: string[];
  /** Seconds per indexed file. */
  durations: Histogram;
  /** Content ratio of every kept window. */
  contentRatios: Histogram;
  /** Metadata fields of the files, with their values when there are few (for filter menus). */
  metaFields: { name: string; values: string[] | null }[];
  sizes: {
    sampleRate: number;
    hopLength: number;
    windowSize: number;
    windowOffset: number;
    spgLength: number;
    spgOffset: number;
  };
  output: { audio: boolean; masks: string[]; meta: string[]; label: string | null };
  /** Interval names found in the annotations (the masks, and every name metadata.json has). */
  annotationNames: string[];
  /** The split part `--mode` selected, shown first. */
  initialSplit: number | null;
}

/** One row of the item list. */
export interface ItemRow {
  id: number;
  split: number;
  /** Index of the item in its split part (what `ds.setMode(split); ds.get(index)` reads). */
  index: number;
  path: string;
  window: number;
  startSample: number;
  contentRatio: number;
  /** Class name, or null without a label. */
  label: string | null;
  /** The file's metadata fields, as text. */
  meta: Record<string, string>;
}

/** GET /api/items?offset&limit&split&label&path&meta.<field>=<value>: a page of the filtered list. */
export interface ItemsResponse {
  total: number;
  offset: number;
  rows: ItemRow[];
}

/** GET /api/item/:id: an item (its spectrogram is GET /api/item/:id/spectrogram, float32). */
export interface ItemResponse extends ItemRow {
  /** [nMels, spgLength] of the float32 spectrogram. */
  shape: [number, number];
  /** Each mask as 0/1 per frame. */
  masks: Record<string, number[]>;
  /** `get(i).meta`, as the item carries it. */
  itemMeta: Record<string, unknown> | null;
  labelIndex: number | null;
  /** The file's metadata object, unchanged. */
  metadata: Record<string, unknown>;
  spectrogramUrl: string;
  audioUrl: string;
  /** True when the dataset's output configuration carries audio (else the server decodes the window). */
  audioFromItem: boolean;
}

/** GET /api/file?path=: one file along its timeline. */
export interface FileResponse {
  path: string;
  /** Samples at sampleRate. */
  length: number;
  metadata: Record<string, unknown>;
  label: string | null;
  /** Interval annotations by name, in samples. */
  intervals: Record<string, [number, number][]>;
  /** Windows the file has before the content-ratio selection. */
  windowCount: number;
  /** Kept windows in window order, with their item. */
  windows: { window: number; startSample: number; contentRatio: number; id: number; split: number }[];
}

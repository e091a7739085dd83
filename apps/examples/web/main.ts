// The browser deployment: the same dataset as in Node, built in the page from picked files with
// core's browser source, decoder and resampler, the WASM extractor and a memory-only cache.
import {
  audioDecodeDecoder,
  bytesMetadata,
  createDataset,
  fileListSource,
  type SpectrogramDataset,
  SpgError,
  sincResampler,
} from '@spgdataset/core';
import { wasmMelExtractor } from '@spgdataset/dsp-wasm';
import { drawItem } from './draw-item';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLDivElement>('status');
const errorBox = $<HTMLDivElement>('error');
let dataset: SpectrogramDataset | undefined;
let current = 0;

/** The folder input gives paths like "basic/speech/a.wav": drop the picked folder's own name. */
function withinFolder(file: File): { path: string; blob: Blob } {
  const parts = (file.webkitRelativePath || file.name).split('/');
  return { path: parts.length > 1 ? parts.slice(1).join('/') : parts[0]!, blob: file };
}

async function build(): Promise<void> {
  const picked = Array.from($<HTMLInputElement>('folder').files ?? [], withinFolder);
  const metadata = picked.find((f) => f.path === 'metadata.json');
  const masks = $<HTMLInputElement>('masks')
    .value.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const label = $<HTMLInputElement>('label').value.trim() || null;
  status.textContent = `building from ${picked.length} files...`;
  const extractor = await wasmMelExtractor({
    sampleRate: 16000,
    nFft: 400,
    hopLength: 160,
    nMels: 80,
    normalize: true,
  });
  dataset = await createDataset()
    .source(fileListSource(picked.filter((f) => f !== metadata)))
    .decoder(audioDecodeDecoder())
    .resampler(sincResampler())
    .extractor(extractor)
    .cache(null)
    .memory({ maxMemoryCache: 256 })
    .metadata(metadata ? bytesMetadata('metadata.json', metadata.blob) : null)
    .output({ masks, label })
    .progress((e) => {
      status.textContent = `${e.phase}: ${e.done}/${e.total ?? '?'}`;
    })
    .build();
  current = 0;
  status.textContent = `${dataset.length} items, classes [${dataset.classes.join(', ')}]`;
  await show();
  Object.assign(window, { __spg: { length: dataset.length, classes: [...dataset.classes] } });
  document.body.dataset.state = 'ready';
}

async function show(): Promise<void> {
  if (!dataset || dataset.length === 0) return;
  const item = await dataset.get(current);
  const where = dataset.locate(current);
  drawItem($<HTMLCanvasElement>('view'), item);
  $<HTMLSpanElement>('where').textContent =
    `item ${current + 1}/${dataset.length}: ${where.path} from ${(where.startSample / 16000).toFixed(2)} s` +
    (item.label === undefined ? '' : `, label ${dataset.classes[item.label]}`);
  Object.assign(window, {
    __spgItem: {
      index: current,
      masks: Object.fromEntries(Object.entries(item.masks ?? {}).map(([k, t]) => [k, [...t.data]])),
    },
  });
}

/** Shows a failure apart from the status line: red, announced (role="alert"), with its code. */
function showError(error: unknown): void {
  const code = SpgError.isInstance(error) ? error.code : ((error as Error)?.name ?? 'Error');
  const codeElement = document.createElement('span');
  codeElement.className = 'code';
  codeElement.textContent = code;
  errorBox.replaceChildren(codeElement, `: ${(error as Error)?.message ?? String(error)}`);
  errorBox.hidden = false;
  status.textContent = 'build failed';
  document.body.dataset.state = 'error';
}

$<HTMLButtonElement>('build').onclick = () => {
  document.body.dataset.state = 'building';
  errorBox.hidden = true;
  build().catch(showError);
};
$<HTMLButtonElement>('prev').onclick = () => {
  current = Math.max(0, current - 1);
  void show();
};
$<HTMLButtonElement>('next').onclick = () => {
  current = Math.min((dataset?.length ?? 1) - 1, current + 1);
  void show();
};

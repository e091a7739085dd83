import { type FileResponse, getFile, type SummaryResponse } from './api';
import { el, formatSeconds, SPLIT_COLORS, splitName } from './dom';
import { annotationColor, niceStep } from './spectrogram-plot';

const LEFT = 90;
const LANE = 14;
const GAP = 6;
/** Window rows: overlapping windows are stacked so each stays visible. */
const MAX_ROWS = 10;
/** Rows of the window table shown at most. */
const TABLE_ROWS = 500;

/** Draws the file's timeline: time axis, one lane per annotation, the kept windows, their content ratio. */
function drawTimeline(
  canvas: HTMLCanvasElement,
  file: FileResponse,
  s: SummaryResponse,
  current: number | undefined,
  width: number,
): (x: number, y: number) => number | undefined {
  const { sampleRate, windowSize, windowOffset } = s.sizes;
  const names = Object.keys(file.intervals).sort();
  const rows = Math.max(1, Math.min(MAX_ROWS, Math.ceil(windowSize / windowOffset)));
  const span = Math.max(file.length, windowSize);
  const plotW = width - LEFT - 16;
  const x = (sample: number) => LEFT + (sample / span) * plotW;
  let y = 8;
  const axisY = y;
  y += 22;
  const laneTops = names.map(() => {
    const top = y;
    y += LANE + GAP;
    return top;
  });
  const windowsTop = y;
  const rowH = 4;
  y += rows * (rowH + 1) + GAP;
  const ratioTop = y;
  const ratioH = 40;
  y += ratioH + 10;
  canvas.width = width;
  canvas.height = y;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#141418';
  ctx.fillRect(0, 0, width, y);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#9a9aa6';
  ctx.strokeStyle = '#55555f';

  // time axis
  const pxPerSecond = (plotW * sampleRate) / span;
  const step = niceStep(pxPerSecond, 70);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let t = 0; t <= span / sampleRate + 1e-9; t += step) {
    const px = Math.round(x(t * sampleRate)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px, axisY + 14);
    ctx.lineTo(px, axisY + 20);
    ctx.stroke();
    ctx.fillText(`${Number(t.toFixed(3))}`, px, axisY);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillText('seconds', LEFT - 8, axisY + 7);

  // annotations
  names.forEach((name, k) => {
    const top = laneTops[k]!;
    ctx.fillStyle = '#25252d';
    ctx.fillRect(LEFT, top, plotW, LANE);
    const [r, g, b] = annotationColor(name, s.output.masks, s.annotationNames);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    for (const [a, z] of file.intervals[name]!) ctx.fillRect(x(a), top, Math.max(1, x(z) - x(a)), LANE);
    ctx.fillStyle = '#9a9aa6';
    ctx.fillText(name, LEFT - 8, top + LANE / 2);
  });

  // kept windows, stacked by window number; the current item's window outlined in white
  ctx.fillText(`windows (${file.windows.length})`, LEFT - 8, windowsTop + (rows * (rowH + 1)) / 2);
  for (const w of file.windows) {
    const top = windowsTop + (w.window % rows) * (rowH + 1);
    ctx.globalAlpha = 0.35 + 0.65 * w.contentRatio;
    ctx.fillStyle = SPLIT_COLORS[w.split % SPLIT_COLORS.length]!;
    ctx.fillRect(x(w.startSample), top, Math.max(1, x(w.startSample + windowSize) - x(w.startSample)), rowH);
  }
  ctx.globalAlpha = 1;
  const shown = file.windows.find((w) => w.id === current);
  if (shown) {
    const top = windowsTop + (shown.window % rows) * (rowH + 1);
    ctx.strokeStyle = '#ffffff';
    ctx.strokeRect(
      x(shown.startSample) + 0.5,
      top - 0.5,
      x(shown.startSample + windowSize) - x(shown.startSample),
      rowH + 1,
    );
  }

  // content ratio of each kept window at its centre
  ctx.fillStyle = '#25252d';
  ctx.fillRect(LEFT, ratioTop, plotW, ratioH);
  ctx.fillStyle = '#9a9aa6';
  ctx.fillText('content ratio', LEFT - 8, ratioTop + ratioH / 2);
  ctx.strokeStyle = '#ffb000';
  ctx.beginPath();
  file.windows.forEach((w, k) => {
    const px = x(w.startSample + windowSize / 2);
    const py = ratioTop + ratioH - w.contentRatio * ratioH;
    if (k === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  });
  ctx.stroke();

  // a click on the windows or the ratio lane picks the kept window whose centre is nearest
  return (cx, cy) => {
    if (cy < windowsTop || cy > ratioTop + ratioH || file.windows.length === 0) return undefined;
    let best = file.windows[0]!;
    for (const w of file.windows)
      if (
        Math.abs(x(w.startSample + windowSize / 2) - cx) < Math.abs(x(best.startSample + windowSize / 2) - cx)
      )
        best = w;
    return best.id;
  };
}

/** Renders one file: its facts, its timeline with annotations and kept windows, and a table of windows. */
export async function fileView(
  view: HTMLElement,
  path: string,
  current: number | undefined,
  s: SummaryResponse,
  openItem: (id: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const file = await getFile(path, signal);
  if (signal.aborted) return;
  const canvas = el('canvas', { id: 'timeline', 'aria-label': `timeline of ${file.path}` });
  const width = Math.max(600, Math.min(1400, view.clientWidth - 40));
  const pick = drawTimeline(canvas, file, s, current, width);
  canvas.addEventListener('click', (event) => {
    const r = canvas.getBoundingClientRect();
    const id = pick(event.clientX - r.left, event.clientY - r.top);
    if (id !== undefined) openItem(id);
  });
  const table = el(
    'table',
    {},
    el(
      'tr',
      {},
      el('th', { class: 'num' }, 'window'),
      el('th', { class: 'num' }, 'start'),
      el('th', { class: 'num' }, 'ratio'),
      el('th', {}, 'split'),
      el('th', { class: 'num' }, 'item'),
    ),
  );
  for (const w of file.windows.slice(0, TABLE_ROWS)) {
    const link = el('a', { href: `#/item/${w.id}` }, `#${w.id}`);
    table.append(
      el(
        'tr',
        w.id === current ? { class: 'selected' } : {},
        el('td', { class: 'num' }, w.window),
        el('td', { class: 'num' }, formatSeconds(w.startSample / s.sizes.sampleRate)),
        el('td', { class: 'num' }, w.contentRatio.toFixed(3)),
        el('td', {}, splitName(w.split)),
        el('td', { class: 'num' }, link),
      ),
    );
  }
  const meta = Object.entries(file.metadata).map(
    ([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`,
  );
  view.replaceChildren(
    el('h2', {}, file.path),
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, 'length'),
      el('dd', {}, `${formatSeconds(file.length / s.sizes.sampleRate)} (${file.length} samples)`),
      el('dt', {}, 'label'),
      el('dd', {}, file.label ?? '-'),
      el('dt', {}, 'metadata'),
      el('dd', {}, meta.join(', ') || '-'),
      el('dt', {}, 'windows'),
      el('dd', { 'data-field': 'windows' }, `${file.windows.length} kept of ${file.windowCount}`),
    ),
    el('h3', {}, 'Timeline (click a window to open it)'),
    canvas,
    el('h3', {}, 'Kept windows'),
    table,
    file.windows.length > TABLE_ROWS
      ? el('p', { class: 'muted' }, `… and ${file.windows.length - TABLE_ROWS} more (see the timeline)`)
      : '',
  );
}

import { getItem, getSpectrogram, type ItemResponse, type SummaryResponse } from './api';
import { el, formatSeconds, splitName } from './dom';
import { drawSpectrogram, type PlotLayout } from './spectrogram-plot';

/** The item view's audio element, for the space key. */
let currentAudio: HTMLAudioElement | undefined;

/** Plays or pauses the shown item's audio. */
export function togglePlay(): void {
  const audio = currentAudio;
  if (!audio) return;
  if (audio.paused) void audio.play().catch(() => {});
  else audio.pause();
}

/** Stops what the item view started (when another view replaces it). */
export function leaveItemView(): void {
  currentAudio?.pause();
  currentAudio = undefined;
}

/** Keeps a line over the spectrogram at the audio's current time while it plays. */
function followPlayhead(
  audio: HTMLAudioElement,
  overlay: HTMLCanvasElement,
  layout: PlotLayout,
  seconds: number,
) {
  const ctx = overlay.getContext('2d')!;
  const draw = () => {
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    const t = Math.min(audio.currentTime, seconds);
    if (t <= 0 && audio.paused) {
      delete overlay.dataset.playheadX;
      return;
    }
    const x = Math.round(layout.left + (t / seconds) * layout.plotWidth) + 0.5;
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, layout.top);
    ctx.lineTo(x, layout.height - 2);
    ctx.stroke();
    overlay.dataset.playheadX = String(Math.floor(x));
  };
  let frame = 0;
  const loop = () => {
    draw();
    if (!audio.paused && !audio.ended) frame = requestAnimationFrame(loop);
  };
  audio.addEventListener('play', () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(loop);
  });
  audio.addEventListener('pause', draw);
  audio.addEventListener('seeked', draw);
  audio.addEventListener('ended', draw);
}

function describe(item: ItemResponse, s: SummaryResponse, openFile: (path: string, id: number) => void) {
  const start = item.startSample / s.sizes.sampleRate;
  const end = (item.startSample + s.sizes.windowSize) / s.sizes.sampleRate;
  const fileLink = el(
    'a',
    { href: `#/file/${encodeURIComponent(item.path)}/${item.id}`, 'data-field': 'path' },
    item.path,
  );
  fileLink.addEventListener('click', (event) => {
    event.preventDefault();
    openFile(item.path, item.id);
  });
  const meta = Object.entries(item.metadata).map(
    ([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`,
  );
  return el(
    'dl',
    { class: 'facts' },
    el('dt', {}, 'item'),
    el('dd', { 'data-field': 'item' }, `#${item.id} — ${splitName(item.split)} item ${item.index}`),
    el('dt', {}, 'file'),
    el('dd', {}, fileLink),
    el('dt', {}, 'window'),
    el('dd', { 'data-field': 'window' }, `${item.window}: ${formatSeconds(start)} – ${formatSeconds(end)}`),
    el('dt', {}, 'content ratio'),
    el('dd', { 'data-field': 'ratio' }, item.contentRatio.toFixed(3)),
    el('dt', {}, 'label'),
    el('dd', { 'data-field': 'label' }, item.label === null ? '-' : `${item.label} (${item.labelIndex})`),
    el('dt', {}, 'meta'),
    el('dd', { 'data-field': 'meta' }, item.itemMeta ? JSON.stringify(item.itemMeta) : '-'),
    el('dt', {}, 'metadata'),
    el('dd', {}, meta.join(', ') || '-'),
  );
}

export interface ItemViewActions {
  openFile(path: string, id: number): void;
  step(delta: number): void;
}

/** Renders item `id` into `view`: facts, the spectrogram with mask bands, and its audio with a playhead. */
export async function itemView(
  view: HTMLElement,
  id: number,
  s: SummaryResponse,
  actions: ItemViewActions,
  signal: AbortSignal,
): Promise<void> {
  leaveItemView();
  const [item, spectrogram] = await Promise.all([
    getItem(id, signal),
    getSpectrogram(`api/item/${id}/spectrogram`, signal),
  ]);
  if (signal.aborted) return;
  const canvas = el('canvas', { id: 'spectrogram', 'aria-label': `spectrogram of item ${id}` });
  const overlay = el('canvas', { class: 'overlay', id: 'playhead' });
  const layout = drawSpectrogram(canvas, {
    data: spectrogram,
    shape: item.shape,
    masks: item.masks,
    sampleRate: s.sizes.sampleRate,
    hopLength: s.sizes.hopLength,
    startSeconds: item.startSample / s.sizes.sampleRate,
  });
  overlay.width = layout.width;
  overlay.height = layout.height;
  const audio = el('audio', {
    id: 'audio',
    controls: true,
    preload: 'auto',
    src: item.audioUrl.replace(/^\//, ''),
  });
  audio.addEventListener('playing', () => {
    document.body.dataset.audio = 'playing';
  });
  audio.addEventListener('pause', () => {
    document.body.dataset.audio = 'paused';
  });
  followPlayhead(audio, overlay, layout, s.sizes.windowSize / s.sizes.sampleRate);
  currentAudio = audio;
  const prev = el('button', { type: 'button', title: 'previous item (←)' }, '← prev');
  const next = el('button', { type: 'button', title: 'next item (→)' }, 'next →');
  const play = el('button', { type: 'button', title: 'play / pause (space)' }, 'play ␣');
  prev.addEventListener('click', () => actions.step(-1));
  next.addEventListener('click', () => actions.step(1));
  play.addEventListener('click', togglePlay);
  view.replaceChildren(
    el('h2', {}, `Item #${item.id}`),
    describe(item, s, actions.openFile),
    el('div', { class: 'player' }, prev, play, next, audio),
    el('div', { class: 'plot-wrap' }, canvas, overlay),
    el(
      'p',
      { class: 'muted' },
      item.audioFromItem ? 'audio: the item’s own audio' : 'audio: this window, decoded by the server',
    ),
  );
  view.dataset.itemId = String(item.id);
}

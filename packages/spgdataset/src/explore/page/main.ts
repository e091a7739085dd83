// The explore page: a filterable, virtualised item list on the left; the overview, an item
// (spectrogram, mask bands, audio) or a file timeline on the right. Keyboard first.
import { filterParams, getSummary, type ItemRow, type ListFilter, type SummaryResponse } from './api';
import { el, splitName } from './dom';
import { fileView } from './file-view';
import { ItemList } from './item-list';
import { itemView, leaveItemView, togglePlay } from './item-view';
import { overviewView } from './overview-view';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const view = $('view');
const filterInput = $<HTMLInputElement>('filter');
const splitSelect = $<HTMLSelectElement>('split-filter');
const classSelect = $<HTMLSelectElement>('class-filter');
const metaFilters = $('meta-filters');
const count = $('count');
const listElement = $('list');

/** Timings of the filter (input event -> first rows on screen, ms), read by the browser test. */
const timings: { filter: number[]; painted: number[] } = { filter: [], painted: [] };
let summary: SummaryResponse;
let currentItem: ItemRow | undefined;
let lastItemId: number | undefined;
let viewJob: AbortController | undefined;

const filter: ListFilter = { split: '', label: '', text: '', meta: {} };

const list = new ItemList(listElement, $('list-spacer'), {
  select: (row) => {
    currentItem = row;
    if (location.hash !== `#/item/${row.id}`) location.hash = `#/item/${row.id}`;
  },
  filtered: (total, ms) => {
    count.textContent = `${total.toLocaleString('en')} of ${summary.items.toLocaleString('en')} windows`;
    count.dataset.total = String(total);
    timings.filter.push(ms);
    const started = performance.now() - ms;
    requestAnimationFrame(() => setTimeout(() => timings.painted.push(performance.now() - started), 0));
    document.body.dataset.filterTotal = String(total);
  },
});

function applyFilter(started = performance.now()): void {
  void list.setFilter(filterParams(filter), started);
}

function setActiveNav(name: string): void {
  for (const id of ['overview', 'item', 'file']) $(`nav-${id}`).classList.toggle('active', id === name);
  document.body.dataset.view = name;
}

function show(job: (signal: AbortSignal) => Promise<void>, name: string): void {
  viewJob?.abort();
  const controller = new AbortController();
  viewJob = controller;
  setActiveNav(name);
  if (name !== 'item') leaveItemView();
  document.body.dataset.state = 'busy';
  job(controller.signal).then(
    () => {
      if (!controller.signal.aborted) document.body.dataset.state = 'ready';
    },
    (error: unknown) => {
      if (controller.signal.aborted) return;
      view.replaceChildren(el('p', { class: 'error' }, String((error as Error)?.message ?? error)));
      document.body.dataset.state = 'error';
    },
  );
}

/** Moves `delta` rows in the list (the item view follows the selection). */
function step(delta: number): void {
  const from = list.selected < 0 ? (delta > 0 ? -1 : 0) : list.selected;
  void list.select(from + delta);
}

function openItem(id: number): void {
  location.hash = `#/item/${id}`;
}

function openFile(path: string, id?: number): void {
  location.hash = `#/file/${encodeURIComponent(path)}${id === undefined ? '' : `/${id}`}`;
}

function route(): void {
  const hash = location.hash.replace(/^#\/?/, '');
  const [kind, ...rest] = hash.split('/');
  if (kind === 'item' && rest[0] !== undefined && /^\d+$/.test(rest[0])) {
    const id = Number(rest[0]);
    lastItemId = id;
    show((signal) => itemView(view, id, summary, { openFile, step }, signal), 'item');
  } else if (kind === 'item' && lastItemId !== undefined) {
    openItem(lastItemId);
  } else if (kind === 'file' && rest[0]) {
    const path = decodeURIComponent(rest[0]);
    const id = rest[1] !== undefined && /^\d+$/.test(rest[1]) ? Number(rest[1]) : undefined;
    show((signal) => fileView(view, path, id, summary, openItem, signal), 'file');
  } else if (kind === 'file' && currentItem) {
    openFile(currentItem.path, currentItem.id);
  } else {
    show(async () => view.replaceChildren(overviewView(summary)), 'overview');
  }
}

function fillFilters(s: SummaryResponse): void {
  s.splits.forEach((p, k) => {
    if (p.items > 0) splitSelect.append(el('option', { value: k }, `${p.name} (${p.items})`));
  });
  if (s.initialSplit !== null) {
    splitSelect.value = String(s.initialSplit);
    filter.split = splitSelect.value;
  }
  if (s.classes.length === 0) classSelect.hidden = true;
  s.classes.forEach((c, k) => {
    classSelect.append(el('option', { value: k }, `${c.name} (${c.total})`));
  });
  for (const field of s.metaFields) {
    if (!field.values || field.values.length < 2) continue;
    const select = el(
      'select',
      { 'aria-label': field.name, 'data-meta': field.name },
      el('option', { value: '' }, `${field.name}: any`),
    );
    for (const value of field.values) select.append(el('option', { value }, `${field.name}=${value}`));
    select.addEventListener('change', () => {
      filter.meta[field.name] = select.value;
      applyFilter();
    });
    metaFilters.append(select);
  }
  splitSelect.addEventListener('change', () => {
    filter.split = splitSelect.value;
    applyFilter();
  });
  classSelect.addEventListener('change', () => {
    filter.label = classSelect.value;
    applyFilter();
  });
  filterInput.addEventListener('input', (event) => {
    filter.text = filterInput.value;
    applyFilter(event.timeStamp || performance.now());
  });
}

function go(hash: string): void {
  location.hash = hash;
}

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement;
}

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (typing(event.target)) {
    if (event.key === 'Escape' || event.key === 'Enter' || event.key === 'ArrowDown') {
      event.preventDefault();
      (event.target as HTMLElement).blur();
      listElement.focus();
      if (event.key !== 'Escape' && list.selected < 0) void list.select(0);
    }
    return;
  }
  const keys: Record<string, () => void> = {
    '/': () => filterInput.focus(),
    ArrowDown: () => step(1),
    ArrowUp: () => step(-1),
    ArrowRight: () => step(1),
    ArrowLeft: () => step(-1),
    j: () => step(1),
    k: () => step(-1),
    PageDown: () => step(Math.max(1, Math.floor(listElement.clientHeight / 24) - 1)),
    PageUp: () => step(-Math.max(1, Math.floor(listElement.clientHeight / 24) - 1)),
    Home: () => void list.select(0),
    End: () => void list.select(list.total - 1),
    ' ': togglePlay,
    Enter: () => (list.selected < 0 ? void list.select(0) : undefined),
    o: () => go('#/overview'),
    i: () => go('#/item'),
    f: () => go('#/file'),
    Escape: () => {
      if (document.body.dataset.view === 'file') go('#/item');
    },
  };
  const action = keys[event.key];
  if (!action) return;
  event.preventDefault();
  action();
});

async function start(): Promise<void> {
  try {
    summary = await getSummary();
  } catch (error) {
    view.replaceChildren(
      el('p', { class: 'error' }, `cannot reach the explore server: ${(error as Error).message}`),
    );
    document.body.dataset.state = 'error';
    return;
  }
  $('title').textContent = summary.title;
  document.title = `explore ${summary.title}`;
  fillFilters(summary);
  (window as unknown as { __explore: unknown }).__explore = { timings, list, splitName };
  window.addEventListener('hashchange', route);
  applyFilter();
  route();
  listElement.focus();
}

void start();

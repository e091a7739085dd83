import { getItems, type ItemRow } from './api';
import { el, splitName } from './dom';

/** Row height in CSS pixels (matches --row in style.css). */
export const ROW_HEIGHT = 24;
/** Rows per request. */
const PAGE = 100;
/** Rows rendered beyond the visible ones on each side. */
const OVERSCAN = 8;

export interface ItemListEvents {
  /** The selection moved to `row` (by keyboard or click). */
  select(row: ItemRow, position: number): void;
  /** A filter's first rows are on screen: `total` rows, `ms` since the input event. */
  filtered(total: number, ms: number): void;
}

/**
 * A virtualised list of the filtered items: a spacer as tall as every row, and only the rows in view
 * (plus a few) as elements, recycled while scrolling. Rows come from the server a page at a time;
 * a new filter drops them all, and answers to an older filter are ignored.
 */
export class ItemList {
  readonly #container: HTMLElement;
  readonly #spacer: HTMLElement;
  readonly #events: ItemListEvents;
  #params = new URLSearchParams();
  #generation = 0;
  #total = 0;
  #pages = new Map<number, ItemRow[]>();
  #pending = new Map<number, Promise<void>>();
  #shown = new Map<number, HTMLElement>();
  #free: HTMLElement[] = [];
  #selected = -1;

  constructor(container: HTMLElement, spacer: HTMLElement, events: ItemListEvents) {
    this.#container = container;
    this.#spacer = spacer;
    this.#events = events;
    container.addEventListener('scroll', () => this.render());
    container.addEventListener('click', (event) => {
      const row = (event.target as HTMLElement).closest<HTMLElement>('.item-row');
      if (row?.dataset.position) void this.select(Number(row.dataset.position));
    });
  }

  get total(): number {
    return this.#total;
  }

  get selected(): number {
    return this.#selected;
  }

  /** Shows the items matching `params`, from the top; `started` is the input event's time. */
  async setFilter(params: URLSearchParams, started = performance.now()): Promise<void> {
    const generation = ++this.#generation;
    const answer = await getItems(params, 0, PAGE);
    if (generation !== this.#generation) return;
    this.#params = params;
    this.#total = answer.total;
    this.#pages = new Map([[0, answer.rows]]);
    this.#pending = new Map();
    this.#selected = -1;
    for (const row of this.#shown.values()) this.#free.push(row);
    this.#shown.clear();
    this.#spacer.style.height = `${answer.total * ROW_HEIGHT}px`;
    this.#container.scrollTop = 0;
    this.render();
    this.#events.filtered(answer.total, performance.now() - started);
  }

  /** The row at `position`, fetched when its page is not loaded yet. */
  async rowAt(position: number): Promise<ItemRow | undefined> {
    if (position < 0 || position >= this.#total) return undefined;
    const page = Math.floor(position / PAGE);
    if (!this.#pages.has(page)) await this.#load(page);
    return this.#pages.get(page)?.[position % PAGE];
  }

  /** Selects `position` (clamped), scrolls it into view and reports it. */
  async select(position: number): Promise<void> {
    if (this.#total === 0) return;
    position = Math.max(0, Math.min(this.#total - 1, position));
    this.#selected = position;
    const top = position * ROW_HEIGHT;
    const view = this.#container;
    if (top < view.scrollTop) view.scrollTop = top;
    else if (top + ROW_HEIGHT > view.scrollTop + view.clientHeight)
      view.scrollTop = top + ROW_HEIGHT - view.clientHeight;
    this.render();
    const row = await this.rowAt(position);
    if (row && this.#selected === position) this.#events.select(row, position);
  }

  /** Resolves once every row in view has its data on screen. */
  async idle(): Promise<void> {
    this.render();
    while (this.#pending.size) await Promise.all(this.#pending.values());
  }

  #load(page: number): Promise<void> {
    let pending = this.#pending.get(page);
    if (pending) return pending;
    const generation = this.#generation;
    pending = getItems(this.#params, page * PAGE, PAGE).then(
      (answer) => {
        if (generation !== this.#generation) return;
        this.#pages.set(page, answer.rows);
        this.#pending.delete(page);
        this.render();
      },
      () => {
        this.#pending.delete(page);
      },
    );
    this.#pending.set(page, pending);
    return pending;
  }

  #fill(element: HTMLElement, position: number): void {
    const row = this.#pages.get(Math.floor(position / PAGE))?.[position % PAGE];
    element.dataset.position = String(position);
    element.style.top = `${position * ROW_HEIGHT}px`;
    element.classList.toggle('selected', position === this.#selected);
    element.setAttribute('aria-selected', String(position === this.#selected));
    if (!row) {
      element.dataset.id = '';
      element.replaceChildren(el('span', { class: 'dim' }, '…'));
      return;
    }
    if (element.dataset.id === String(row.id)) return;
    element.dataset.id = String(row.id);
    const meta = Object.entries(row.meta)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    element.title = `${row.path}, window ${row.window} (sample ${row.startSample})\n${meta}`;
    element.replaceChildren(
      el('span', { class: 'dim' }, `#${row.id}`),
      el('span', {}, splitName(row.split).slice(0, 5)),
      el('span', {}, row.path),
      el('span', { class: 'dim' }, `w${row.window}`),
      el('span', { class: 'dim' }, row.contentRatio.toFixed(2)),
      el('span', {}, row.label ?? meta),
    );
  }

  /** Puts the rows in view on screen, reusing the elements of rows that left it. */
  render(): void {
    const view = this.#container;
    const first = Math.max(0, Math.floor(view.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      this.#total - 1,
      Math.ceil((view.scrollTop + view.clientHeight) / ROW_HEIGHT) + OVERSCAN,
    );
    for (const [position, element] of this.#shown)
      if (position < first || position > last) {
        this.#shown.delete(position);
        this.#free.push(element);
      }
    for (let position = first; position <= last; position++) {
      const page = Math.floor(position / PAGE);
      if (!this.#pages.has(page)) void this.#load(page);
      let element = this.#shown.get(position);
      if (!element) {
        element = this.#free.pop() ?? el('div', { class: 'item-row', role: 'option' });
        element.dataset.id = '';
        this.#shown.set(position, element);
        if (element.parentNode !== view) view.append(element);
      }
      this.#fill(element, position);
    }
    for (const element of this.#free) element.remove();
    this.#free.length = 0;
  }
}

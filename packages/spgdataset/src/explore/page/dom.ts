type Child = Node | string | number | null | undefined | false;

/** `document.createElement` with attributes and children; `class` and `data-*` go through as attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'object' ? child : String(child));
  }
  return node;
}

/** Seconds as h:mm:ss.s, m:ss.s or s.ss. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(2)} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = (seconds % 60).toFixed(1).padStart(4, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export const SPLIT_NAMES = ['train', 'validate', 'test'];

export function splitName(k: number): string {
  return SPLIT_NAMES[k] ?? `part ${k}`;
}

/** Split colours for the file timeline. */
export const SPLIT_COLORS = ['#5aa0ff', '#ffb000', '#50c878', '#c77dff'];

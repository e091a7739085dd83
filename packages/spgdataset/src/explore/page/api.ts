import type { FileResponse, ItemResponse, ItemsResponse, SummaryResponse } from '../explore-api';

export type { FileResponse, ItemResponse, ItemRow, ItemsResponse, SummaryResponse } from '../explore-api';

async function checked(response: Response): Promise<Response> {
  if (response.ok) return response;
  let message = `${response.status} ${response.statusText}`;
  try {
    message = ((await response.json()) as { error?: string }).error ?? message;
  } catch {}
  throw new Error(message);
}

async function json<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await checked(await fetch(url, signal ? { signal } : {}))).json()) as T;
}

export const getSummary = () => json<SummaryResponse>('api/summary');
export const getItem = (id: number, signal?: AbortSignal) => json<ItemResponse>(`api/item/${id}`, signal);
export const getFile = (path: string, signal?: AbortSignal) =>
  json<FileResponse>(`api/file?path=${encodeURIComponent(path)}`, signal);

export function getItems(filter: URLSearchParams, offset: number, limit: number, signal?: AbortSignal) {
  const params = new URLSearchParams(filter);
  params.set('offset', String(offset));
  params.set('limit', String(limit));
  return json<ItemsResponse>(`api/items?${params}`, signal);
}

/** The float32 spectrogram of item `id`, mel-major. */
export async function getSpectrogram(url: string, signal?: AbortSignal): Promise<Float32Array> {
  const response = await checked(await fetch(url.replace(/^\//, ''), signal ? { signal } : {}));
  return new Float32Array(await response.arrayBuffer());
}

/** What the filter controls say. */
export interface ListFilter {
  split: string;
  label: string;
  /** Free text: `field=value` words filter metadata, the other words the path. */
  text: string;
  /** Metadata menus: field -> value ('' = any). */
  meta: Record<string, string>;
}

/** The /api/items query of a filter. */
export function filterParams(filter: ListFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.split !== '') params.set('split', filter.split);
  if (filter.label !== '') params.set('label', filter.label);
  const meta = new Map(Object.entries(filter.meta).filter(([, v]) => v !== ''));
  const path: string[] = [];
  for (const word of filter.text.trim().split(/\s+/)) {
    if (!word) continue;
    const eq = word.indexOf('=');
    if (eq > 0) meta.set(word.slice(0, eq), word.slice(eq + 1));
    else path.push(word);
  }
  if (path.length) params.set('path', path.join(' '));
  for (const [key, value] of [...meta].sort()) params.set(`meta.${key}`, value);
  return params;
}

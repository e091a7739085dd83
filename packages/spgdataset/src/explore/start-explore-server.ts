import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { windowCount } from '@spgdataset/core';
import type { InspectableDataset } from '../cli/inspectable-dataset';
import { encodeWav } from './encode-wav';
import type { FileResponse, ItemResponse, ItemsResponse, SummaryResponse } from './explore-api';
import type { ExploreModel } from './explore-model';
import { filterItems, parseItemQuery, queryKey } from './item-query';
import { itemRow } from './item-row';
import { pageFilePath } from './page-file-path';

/** What the server shows: prepared once, then only read. */
export interface ExploreSources {
  summary: SummaryResponse;
  model: ExploreModel;
  /** The dataset as configured, with spectrograms; read one item at a time. */
  items: InspectableDataset;
  /** The same items with `audio`, when `items` carries none. */
  audio?: InspectableDataset;
}

export interface ExploreServerOptions {
  sources: ExploreSources;
  /** Folder of the built page (index.html and its assets). */
  pageRoot: string;
  /** Default 127.0.0.1 (this machine only). */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

export interface ExploreServer {
  /** http://host:port/ */
  url: string;
  port: number;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/** Items fetched per request at most. */
const MAX_LIMIT = 1000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const notFound = () => new HttpError(404, 'not found');

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  response.writeHead(status, {
    ...securityHeaders,
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.byteLength,
    'cache-control': 'no-store',
  });
  response.end(body);
}

function sendBytes(response: ServerResponse, type: string, bytes: Uint8Array, extra = {}): void {
  response.writeHead(200, {
    ...securityHeaders,
    'content-type': type,
    'content-length': bytes.byteLength,
    'cache-control': 'no-store',
    ...extra,
  });
  response.end(bytes);
}

function wholeNumber(text: string | null, fallback: number): number {
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text)) throw new HttpError(400, `not a whole number: ${JSON.stringify(text)}`);
  return Number(text);
}

/**
 * A read-only HTTP server over a built dataset: the page (static files under `pageRoot`) and a JSON
 * API. Only GET and HEAD; files outside `pageRoot` are never served (404). Bound to loopback by
 * default, where requests naming another Host are refused (DNS rebinding).
 */
export async function startExploreServer(options: ExploreServerOptions): Promise<ExploreServer> {
  const { sources, pageRoot } = options;
  const { model, items } = sources;
  const host = options.host ?? '127.0.0.1';
  const loopbackOnly = LOOPBACK.has(host);
  const sizes = items.sizes;
  const summaryBody = JSON.stringify(sources.summary);
  let lastQuery: { key: string; ids: Int32Array } | undefined;
  const total = model.itemFile.length;

  /** Item `id` of `ds`: the mode is set and `get` called in one synchronous step, so requests never interleave. */
  function getItem(ds: InspectableDataset, id: number) {
    const split = model.itemSplit[id]!;
    ds.setMode(split);
    return ds.get(id - model.splitStart[split]!);
  }

  function itemId(text: string): number {
    const id = wholeNumber(text, -1);
    if (id >= total) throw notFound();
    return id;
  }

  async function api(path: string, params: URLSearchParams, response: ServerResponse): Promise<void> {
    if (path === '/api/summary') {
      const body = Buffer.from(summaryBody);
      return sendBytes(response, 'application/json; charset=utf-8', body);
    }
    if (path === '/api/items') {
      const query = parseItemQuery(params);
      const key = queryKey(query);
      if (lastQuery?.key !== key) lastQuery = { key, ids: filterItems(model, query) };
      const ids = lastQuery.ids;
      const offset = Math.min(wholeNumber(params.get('offset'), 0), ids.length);
      const limit = Math.min(wholeNumber(params.get('limit'), 100), MAX_LIMIT);
      const rows = Array.from(ids.subarray(offset, offset + limit), (id) =>
        itemRow(model, id, sizes.windowOffset),
      );
      const body: ItemsResponse = { total: ids.length, offset, rows };
      return sendJson(response, 200, body);
    }
    let match = /^\/api\/item\/(\d+)$/.exec(path);
    if (match) {
      const id = itemId(match[1]!);
      const item = await getItem(items, id);
      const row = itemRow(model, id, sizes.windowOffset);
      const masks: Record<string, number[]> = {};
      for (const [name, mask] of Object.entries(item.masks ?? {})) masks[name] = Array.from(mask.data);
      const shape = (item.spectrogram?.shape ?? [0, sizes.spgLength]) as [number, number];
      const file = model.files[model.itemFile[id]!]!;
      const body: ItemResponse = {
        ...row,
        shape,
        masks,
        itemMeta: (item.meta as Record<string, unknown> | undefined) ?? null,
        labelIndex: item.label ?? null,
        metadata: file.metadata,
        spectrogramUrl: `/api/item/${id}/spectrogram`,
        audioUrl: `/api/audio/${id}.wav`,
        audioFromItem: items.outputConfiguration.audio,
      };
      return sendJson(response, 200, body);
    }
    match = /^\/api\/item\/(\d+)\/spectrogram$/.exec(path);
    if (match) {
      const spectrogram = (await getItem(items, itemId(match[1]!))).spectrogram;
      if (!spectrogram) throw notFound();
      const data = spectrogram.data;
      return sendBytes(
        response,
        'application/octet-stream',
        new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        {
          'x-shape': spectrogram.shape.join(','),
        },
      );
    }
    match = /^\/api\/audio\/(\d+)\.wav$/.exec(path);
    if (match) {
      const source = items.outputConfiguration.audio ? items : sources.audio;
      if (!source) throw notFound();
      const audio = (await getItem(source, itemId(match[1]!))).audio;
      if (!audio) throw notFound();
      return sendBytes(response, 'audio/wav', encodeWav(audio.data, sizes.sampleRate));
    }
    if (path === '/api/file') {
      const f = model.fileByPath.get(params.get('path') ?? '');
      if (f === undefined) throw notFound();
      const file = model.files[f]!;
      const ids = model.fileItems.subarray(model.fileItemStart[f]!, model.fileItemStart[f + 1]!);
      const body: FileResponse = {
        path: file.path,
        length: file.length,
        metadata: file.metadata,
        label: file.label >= 0 ? (model.classes[file.label] ?? null) : null,
        intervals: file.annotations as Record<string, [number, number][]>,
        windowCount: windowCount(file.length, sizes.windowSize, sizes.windowOffset),
        windows: Array.from(ids, (id) => ({
          window: model.itemWindow[id]!,
          startSample: model.itemWindow[id]! * sizes.windowOffset,
          contentRatio: model.itemRatio[id]!,
          id,
          split: model.itemSplit[id]!,
        })),
      };
      return sendJson(response, 200, body);
    }
    throw notFound();
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...securityHeaders, allow: 'GET, HEAD' }).end();
      return;
    }
    const hostName = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (loopbackOnly && !LOOPBACK.has(hostName))
      throw new HttpError(403, 'requests must name this machine as Host');
    const raw = request.url ?? '/';
    const q = raw.indexOf('?');
    const rawPath = q < 0 ? raw : raw.slice(0, q);
    const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    if (rawPath.startsWith('/api/')) {
      let path: string;
      try {
        path = decodeURIComponent(rawPath);
      } catch {
        throw notFound();
      }
      return api(path, params, response);
    }
    const file = await pageFilePath(pageRoot, rawPath);
    if (!file) throw notFound();
    const bytes = await readFile(file);
    sendBytes(response, contentTypes[extname(file)] ?? 'application/octet-stream', bytes);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendJson(response, status, { error: (error as Error)?.message ?? String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

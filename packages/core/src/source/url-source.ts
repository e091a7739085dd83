import * as v from 'valibot';
import type { AudioSource } from '../contracts/audio-source';
import type { PluginDefinition } from '../contracts/plugin-definition';
import { SpgConfigError } from '../errors/spg-config-error';
import { assertSourcePath } from './source-path';
import { sourceReadError } from './source-read-error';

/** Options of `urlSource` beyond base and paths (not JSON: kept out of `options`). */
export interface UrlSourceOptions {
  /** The fetch to use (default `globalThis.fetch`), e.g. one adding credentials. */
  fetch?: typeof fetch;
}

/**
 * A source over files served at `base` + path (a static site, a bucket). The file list is given
 * (HTTP cannot list folders). `stat` sends HEAD: size from Content-Length, change token from ETag,
 * else Last-Modified. `readRange` sends a Range request (a server that ignores it sends the whole file,
 * of which the range is kept). Recreatable from JSON: `{ "use": "core/url", "options": { "base", "paths" } }`.
 *
 * @example
 * const source = urlSource('https://example.org/data/', ['speech/a.wav', 'speech/b.mp3']);
 */
export function urlSource(
  base: string,
  paths: readonly string[],
  options: UrlSourceOptions = {},
): AudioSource {
  const root = base.endsWith('/') ? base : `${base}/`;
  const issues: { path: string; message: string }[] = [];
  paths.forEach((p, i) => {
    try {
      assertSourcePath(p, `paths[${i}]`);
    } catch (error) {
      if (!SpgConfigError.isInstance(error)) throw error;
      issues.push(...error.issues);
    }
  });
  if (issues.length) throw new SpgConfigError(issues);
  const known = new Set(paths);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const url = (path: string) => {
    if (!known.has(path)) throw sourceReadError('core/url', path, 'not in the path list');
    return new URL(path.split('/').map(encodeURIComponent).join('/'), root).href;
  };
  const request = async (path: string, method: 'GET' | 'HEAD', range?: string) => {
    const href = url(path);
    let response: Response;
    try {
      response = await doFetch(href, range ? { method, headers: { Range: range } } : { method });
    } catch (cause) {
      throw sourceReadError(
        'core/url',
        path,
        `${method} ${href} failed: ${(cause as Error)?.message ?? cause}`,
        cause,
      );
    }
    // 416: a range at or past the end of the file (no bytes there).
    if (response.status === 416 && range) return new Response(new Uint8Array(0), { status: 206 });
    if (!response.ok)
      throw sourceReadError(
        'core/url',
        path,
        `${method} ${href} answered ${response.status} ${response.statusText}`,
      );
    return response;
  };
  return {
    kind: 'source',
    id: 'core/url',
    options: { base: root, paths: [...paths] },
    list: async () => [...known].sort(),
    read: async (path) => new Uint8Array(await (await request(path, 'GET')).arrayBuffer()),
    async readRange(path, offset, length) {
      if (length <= 0) return new Uint8Array(0);
      const response = await request(path, 'GET', `bytes=${offset}-${offset + length - 1}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      // 206: the range itself. A server that ignores Range answers 200 with the whole file.
      return response.status === 206 ? bytes.subarray(0, length) : bytes.subarray(offset, offset + length);
    },
    stat: async (path) => {
      const response = await request(path, 'HEAD');
      const length = Number(response.headers.get('content-length'));
      const size = Number.isFinite(length) && response.headers.has('content-length') ? length : -1;
      const token = response.headers.get('etag') ?? response.headers.get('last-modified') ?? 'unknown';
      return { size, changeToken: token };
    },
  };
}

const optionsSchema = v.strictObject({
  base: v.string('must be the base URL (string)'),
  paths: v.array(v.string('must be a relative path (string)'), 'must be a list of relative paths'),
});

/** Registry definition of `urlSource`. */
export const urlSourceDefinition: PluginDefinition<'source', v.InferOutput<typeof optionsSchema>> = {
  kind: 'source',
  id: 'core/url',
  module: '@spgdataset/core',
  schema: optionsSchema,
  create: (o) => urlSource(o.base, o.paths),
};

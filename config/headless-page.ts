// Headless Chromium and a static server on 127.0.0.1 for the browser tests. Tests pass in
// playwright-core's `chromium` (their own dev dependency); the types here are structural, so config/
// needs neither playwright nor esbuild types.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { describe } from 'vitest';

/** Where Debian's chromium lives; the browser tests skip, saying so, when it is absent. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const hasChromium = existsSync(CHROMIUM_PATH);

/**
 * `describe('<title> in headless Chromium', body)`, skipped when Chromium is absent, with a title
 * that says so and why.
 */
export function describeInChromium(title: string, body: () => void | Promise<void>): void {
  const heading = hasChromium
    ? `${title} in headless Chromium`
    : `${title} in headless Chromium: SKIPPED, ${CHROMIUM_PATH} not found (apt-get install chromium)`;
  describe.skipIf(!hasChromium)(heading, body);
}

/** An esbuild plugin, kept structural. */
export interface EsbuildPlugin {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: esbuild's PluginBuild, kept structural so config/ needs no esbuild types.
  setup(build: any): void;
}

/**
 * Leaves bare imports esbuild cannot resolve to the runtime: the optional codecs that core's
 * dependencies import lazily, which the pages never reach.
 */
export const externalizeUnresolvable: EsbuildPlugin = {
  name: 'externalize-unresolvable',
  setup(build) {
    build.onResolve(
      { filter: /^[^./]/ },
      async (args: {
        path: string;
        kind: string;
        resolveDir: string;
        importer: string;
        pluginData: unknown;
      }) => {
        if (args.pluginData === 'retry') return undefined;
        const result = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'retry',
        });
        return result.errors.length > 0 ? { path: args.path, external: true } : result;
      },
    );
  },
};

/** A served file: its bytes, and the content type when its extension does not say it. */
export interface ServedFile {
  body: Uint8Array | string;
  type?: string;
}

/** A headless Chromium and the static server its pages load from. */
export interface HeadlessPage<Browser> {
  browser: Browser;
  /** `http://127.0.0.1:<port>` of the server. */
  origin: string;
  /** Closes the browser and the server. */
  close(): Promise<void>;
}

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** The page (`index.html`) unless `serve` gives another: one module script, `app.js`. */
const APP_PAGE = '<!doctype html><script type="module" src="./app.js"></script>';

/**
 * Starts a static server on 127.0.0.1 and a free port, answering each GET with `serve(path)` (the
 * URL path without its leading slash and query; `index.html` for `/`, a page loading `app.js`
 * unless `serve` gives one; 404 when it returns undefined), then launches headless Chromium
 * (`chromium` is playwright-core's).
 */
export async function startHeadlessPage<Browser extends { close(): Promise<void> }>(
  chromium: { launch(options: { executablePath: string; args: string[] }): Promise<Browser> },
  serve: (path: string) => ServedFile | undefined,
): Promise<HeadlessPage<Browser>> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/^\//, '') || 'index.html';
    const file = serve(path) ?? (path === 'index.html' ? { body: APP_PAGE } : undefined);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const body = typeof file.body === 'string' ? Buffer.from(file.body) : file.body;
    res.writeHead(200, {
      'content-type': file.type ?? types[extname(path)] ?? 'application/octet-stream',
      'content-length': body.length,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  } catch (error) {
    await closeServer();
    throw error;
  }
  return {
    browser,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await browser.close();
      await closeServer();
    },
  };
}

// The shard reader in headless Chromium: core's root export bundled for the browser reads an export
// over HTTP (fetch, Web Crypto sample checks) and gives exactly what Node gives; a changed byte is
// the same named error there.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShardedDataset } from '../src/index';
import { exportShards, nodeShardSource } from '../src/node';
import { shardTestDataset, tempDir } from './shard-fakes';

const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
const title = hasChromium
  ? 'shard reader in headless Chromium'
  : `shard reader in headless Chromium: SKIPPED, ${chromiumPath} not found (apt-get install chromium)`;

/** Leaves imports esbuild cannot resolve (optional codecs of audio-decode) to the runtime. */
const externalizeUnresolvable: Plugin = {
  name: 'externalize-unresolvable',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'retry') return undefined;
      const result = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'retry',
      });
      return result.errors.length > 0 ? { path: args.path, external: true } : result;
    });
  },
};

/** What both sides report per item: key and the raw bits of every tensor, label and meta. */
const summarize = `(item) => ({
  key: item.key,
  spectrogram: Array.from(new Uint32Array(item.spectrogram.data.buffer, item.spectrogram.data.byteOffset, item.spectrogram.data.length)),
  masks: Object.fromEntries(Object.entries(item.masks).map(([k, t]) => [k, Array.from(t.data)])),
  label: item.label,
  meta: item.meta,
})`;

describe.skipIf(!hasChromium)(title, () => {
  const work = tempDir('shards-browser');
  const shards = join(work, 'shards');
  let server: Server;
  let browser: Browser;
  let origin: string;
  let flip: { name: string; at: number } | undefined;

  beforeAll(async () => {
    await exportShards(await shardTestDataset(), { dir: shards, maxItemsPerShard: 9, fsync: false });
    writeFileSync(
      join(work, 'entry.js'),
      `import { openShardedDataset } from ${JSON.stringify(fileURLToPath(new URL('../src/index.ts', import.meta.url)))};
       const summarize = ${summarize};
       globalThis.readShards = async (manifest, options) => {
         try {
           const ds = await openShardedDataset({ manifest, ...options });
           const out = [];
           for await (const item of ds) out.push(summarize(item));
           return { items: out };
         } catch (error) {
           return { error: { name: error.name, code: error.code, url: error.url, offset: error.offset } };
         }
       };
       document.title = 'ready';`,
    );
    await build({
      entryPoints: [join(work, 'entry.js')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile: join(work, 'app.js'),
      logLevel: 'silent',
      plugins: [externalizeUnresolvable],
    });
    writeFileSync(join(work, 'index.html'), '<!doctype html><script type="module" src="./app.js"></script>');
    server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const name = path === '/' ? 'index.html' : path.slice(1);
      const file = name.startsWith('shards/') ? join(shards, name.slice(7)) : join(work, name);
      if (!/^(shards\/)?[\w.-]+$/.test(name) || !existsSync(file)) return void res.writeHead(404).end();
      let body = readFileSync(file);
      if (flip && name === `shards/${flip.name}`) {
        body = Buffer.from(body);
        body[flip.at]! ^= 0x08;
      }
      const type = name.endsWith('.html')
        ? 'text/html'
        : name.endsWith('.js')
          ? 'text/javascript'
          : 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'content-length': body.length });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise((resolve) => server.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  async function inBrowser(options: object) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.title === 'ready');
    const result = await page.evaluate(
      ([manifest, o]) =>
        (globalThis as unknown as { readShards: (m: string, o: object) => Promise<unknown> }).readShards(
          manifest,
          o,
        ),
      [`${origin}/shards/manifest.json`, options] as const,
    );
    await page.close();
    expect(errors).toEqual([]);
    return result as { items?: unknown[]; error?: Record<string, unknown> };
  }

  it('reads the same items as Node, bit for bit (two ranks, shuffled)', async () => {
    const options = { rank: 1, worldSize: 2, shuffle: { buffer: 6, seed: 2 } };
    const browserResult = await inBrowser(options);
    const summarizeInNode = new Function(`return ${summarize}`)() as (item: unknown) => unknown;
    const inNode: unknown[] = [];
    for await (const item of await openShardedDataset({
      manifest: join(shards, 'manifest.json'),
      source: nodeShardSource(),
      ...options,
    }))
      inNode.push(summarizeInNode(item));
    expect(inNode.length).toBeGreaterThan(20);
    expect(browserResult).toEqual({ items: inNode });
  });

  it('a changed byte is SPG_SHARD_CORRUPT in the browser too', async () => {
    flip = { name: 'shard-000002.tar', at: 512 + 128 + 64 };
    try {
      const result = await inBrowser({});
      expect(result.error).toEqual({
        name: 'SpgShardError',
        code: 'SPG_SHARD_CORRUPT',
        url: `${origin}/shards/shard-000002.tar`,
        offset: 0,
      });
    } finally {
      flip = undefined;
    }
  });
});

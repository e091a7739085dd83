// The shard reader in headless Chromium: core's root export bundled for the browser reads an export
// over HTTP (fetch, Web Crypto sample checks) and gives exactly what Node gives; a changed byte is
// the same named error there.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeInChromium,
  externalizeUnresolvable,
  type HeadlessPage,
  startHeadlessPage,
} from '../../../config/headless-page';
import { openShardedDataset } from '../src/index';
import { exportShards, nodeShardSource } from '../src/node';
import { shardTestDataset, tempDir } from './shard-fakes';

/** What both sides report per item: key and the raw bits of every tensor, label and meta. */
const summarize = `(item) => ({
  key: item.key,
  spectrogram: Array.from(new Uint32Array(item.spectrogram.data.buffer, item.spectrogram.data.byteOffset, item.spectrogram.data.length)),
  masks: Object.fromEntries(Object.entries(item.masks).map(([k, t]) => [k, Array.from(t.data)])),
  label: item.label,
  meta: item.meta,
})`;

describeInChromium('shard reader', () => {
  const work = tempDir('shards-browser');
  const shards = join(work, 'shards');
  let headless: HeadlessPage<Browser>;
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
    headless = await startHeadlessPage(chromium, (name) => {
      const file = name.startsWith('shards/') ? join(shards, name.slice(7)) : join(work, name);
      if (!/^(shards\/)?[\w.-]+$/.test(name) || !existsSync(file)) return undefined;
      let body = readFileSync(file);
      if (flip && name === `shards/${flip.name}`) {
        body = Buffer.from(body);
        body[flip.at]! ^= 0x08;
      }
      return { body };
    });
  });

  afterAll(async () => {
    await headless?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function inBrowser(options: object) {
    const page = await headless.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${headless.origin}/`);
    await page.waitForFunction(() => document.title === 'ready');
    const result = await page.evaluate(
      ([manifest, o]) =>
        (globalThis as unknown as { readShards: (m: string, o: object) => Promise<unknown> }).readShards(
          manifest,
          o,
        ),
      [`${headless.origin}/shards/manifest.json`, options] as const,
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
        url: `${headless.origin}/shards/shard-000002.tar`,
        offset: 0,
      });
    } finally {
      flip = undefined;
    }
  });
});

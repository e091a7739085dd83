// A page running `entry` (an ES module using this package's built dist/index.js) bundled by esbuild as
// an app would (core and the package in one module, dsp.wasm served next to the bundle), in headless
// Chromium: what the browser tests open pages of.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { externalizeUnresolvable, type HeadlessPage, startHeadlessPage } from '../../../config/headless-page';

export const dist = fileURLToPath(new URL('../dist/', import.meta.url));

export interface BundledAppPage {
  headless: HeadlessPage<Browser>;
  close(): Promise<void>;
}

/** Bundles `entry` and serves it with dsp.wasm and `files` (path -> body) to a headless Chromium. */
export async function bundledAppPage(
  entry: string,
  files: Record<string, Uint8Array> = {},
): Promise<BundledAppPage> {
  const dir = mkdtempSync(join(tmpdir(), 'spg-dsp-wasm-page-'));
  try {
    writeFileSync(join(dir, 'entry.js'), entry);
    await build({
      entryPoints: [join(dir, 'entry.js')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile: join(dir, 'app.js'),
      // The entry sits in a temp dir: resolve its bare imports as this package does.
      nodePaths: [join(dist, '..', 'node_modules')],
      logLevel: 'silent',
      plugins: [externalizeUnresolvable],
    });
    const app = readFileSync(join(dir, 'app.js'));
    const wasm = readFileSync(join(dist, 'dsp.wasm'));
    const headless = await startHeadlessPage(chromium, (path) => {
      if (path === 'app.js') return { body: app };
      if (path === 'dsp.wasm') return { body: wasm };
      const body = files[path];
      return body ? { body } : undefined;
    });
    return { headless, close: () => headless.close() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

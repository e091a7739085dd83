import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Bundles test/fixtures/fill-cache.ts (core from source, see core-subset.ts) into a runnable .mjs in a temp dir. */
export async function bundleFillCache(): Promise<string> {
  const outfile = join(await mkdtemp(join(tmpdir(), 'spg-cache-child-')), 'fill-cache.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/fill-cache.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    alias: {
      '@spgdataset/core': fileURLToPath(new URL('./fixtures/core-subset.ts', import.meta.url)),
    },
  });
  return outfile;
}

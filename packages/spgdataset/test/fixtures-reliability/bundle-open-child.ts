import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Bundles open-child.ts (core from source, as the tests use it) into a runnable .mjs. audio-decode
 * loads its codecs with dynamic imports, some of them optional, so it stays external: the bundle is
 * written under core's node_modules/.cache, from where Node resolves it.
 */
export async function bundleOpenChild(): Promise<string> {
  const cache = here('../../../core/node_modules/.cache');
  await mkdir(cache, { recursive: true });
  const outfile = join(await mkdtemp(join(cache, 'spg-open-child-')), 'open-child.mjs');
  await build({
    entryPoints: [here('./open-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    external: ['audio-decode', '@audio/*'],
    // CommonJS dependencies (write-file-atomic) need require and __filename inside the ESM bundle.
    banner: {
      js: [
        "import { createRequire as __createRequire } from 'node:module';",
        "import { fileURLToPath as __toPath } from 'node:url';",
        'const require = __createRequire(import.meta.url);',
        'const __filename = __toPath(import.meta.url);',
      ].join(' '),
    },
    alias: {
      '@spgdataset/core/node': here('../../../core/src/node.ts'),
      '@spgdataset/core': here('../../../core/src/index.ts'),
    },
  });
  return outfile;
}

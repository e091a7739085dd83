import { defineConfig } from 'tsup';
import { libraryConfig } from '../../config/tsup';

export default [
  // shims: the CJS build needs import.meta.url to resolve plugin modules for worker threads.
  libraryConfig({ index: 'src/index.ts' }, { shims: true }),
  // The `spgdataset` executable: ESM for Node only, with a shebang; not a library entry.
  defineConfig({
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'es2022',
    dts: false,
    clean: false,
    sourcemap: false,
    banner: { js: '#!/usr/bin/env node' },
  }),
];

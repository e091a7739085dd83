import { defineConfig } from 'tsup';
import { libraryConfig } from '../../config/tsup';

export default [
  libraryConfig({ index: 'src/index.ts' }),
  // The `spgdataset` executable: ESM for Node only, with a shebang; not a library entry.
  defineConfig({
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'es2022',
    dts: false,
    clean: false,
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  }),
];

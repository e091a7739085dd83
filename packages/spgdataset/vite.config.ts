import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The `spgdataset explore` page: src/explore/page -> dist/explore (served by the CLI, shipped in the
// package). Everything is bundled; the page loads nothing from the network.
export default defineConfig({
  root: fileURLToPath(new URL('./src/explore/page', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/explore', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});

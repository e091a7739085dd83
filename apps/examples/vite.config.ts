import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser page lives in web/; `vite build` writes dist-web/.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('./dist-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});

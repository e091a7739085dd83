import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * audio-decode imports its codecs lazily, some of them optional packages that are not installed
 * (e.g. @audio/decode-ape). Installed ones are bundled; missing ones stay external, so only a file
 * of that format would fail, at run time, with a clear decode error.
 */
function optionalCodecs(): Plugin {
  return {
    name: 'spgdataset-optional-codecs',
    enforce: 'pre',
    async resolveId(id, importer) {
      if (!id.startsWith('@audio/decode-')) return null;
      const resolved = await this.resolve(id, importer, { skipSelf: true });
      return resolved ?? { id, external: true };
    },
  };
}

// The browser page lives in web/; `vite build` writes dist-web/.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: './',
  plugins: [optionalCodecs()],
  build: {
    outDir: fileURLToPath(new URL('./dist-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});

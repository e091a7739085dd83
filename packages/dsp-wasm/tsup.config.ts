import { libraryConfig } from '../../config/tsup';

// shims: the CJS build needs import.meta.url to find dsp.wasm next to itself.
// dsp-wasm-embedded.js (dsp.wasm as base64) is written by scripts/build-wasm.mjs after this build and
// stays a separate module, so bundlers can load it lazily.
export default libraryConfig(
  { index: 'src/index.ts', node: 'src/node.ts' },
  {
    shims: true,
    esbuildPlugins: [
      {
        name: 'embedded-wasm-stays-external',
        setup(build) {
          build.onResolve({ filter: /^\.\/dsp-wasm-embedded\.js$/ }, (args) => ({
            path: args.path,
            external: true,
          }));
        },
      },
    ],
  },
);

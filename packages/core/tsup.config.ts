import { libraryConfig } from '../../config/tsup';

export default libraryConfig(
  {
    index: 'src/index.ts',
    node: 'src/node.ts',
    conformance: 'src/conformance.ts',
    testing: 'src/testing.ts',
    // Loaded by the generation pool's worker threads (from beside the built node entry).
    'generation-worker': 'src/node/generation-worker.ts',
  },
  // shims: the CJS build of the node entry locates generation-worker.js next to itself through
  // import.meta.url.
  { shims: true },
);

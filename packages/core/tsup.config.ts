import { libraryConfig } from '../../config/tsup';

export default libraryConfig(
  {
    index: 'src/index.ts',
    node: 'src/node.ts',
    testing: 'src/testing.ts',
    // Loaded by the generation pool's worker threads (from beside the built node entry).
    'generation-worker': 'src/node/generation-worker.ts',
  },
  // shims: the CJS build of the node and testing entries locates files next to itself
  // (generation-worker.js, golden fixtures) through import.meta.url.
  { shims: true },
);

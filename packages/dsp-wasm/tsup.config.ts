import { libraryConfig } from '../../config/tsup';

// shims: the CJS build needs import.meta.url to find dsp.wasm next to itself.
export default libraryConfig({ index: 'src/index.ts', node: 'src/node.ts' }, { shims: true });

import { libraryConfig } from '../../config/tsup';

// shims: the CJS build of the node entry finds golden/ next to dist/ through import.meta.url.
export default libraryConfig({ index: 'src/index.ts', node: 'src/node.ts' }, { shims: true });

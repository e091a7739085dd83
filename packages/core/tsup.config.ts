import { libraryConfig } from '../../config/tsup';

export default libraryConfig({ index: 'src/index.ts', node: 'src/node.ts', testing: 'src/testing.ts' });

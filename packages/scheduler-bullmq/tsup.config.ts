import { libraryConfig } from '../../config/tsup';

// Node only (Redis connections, worker threads); the testing entry starts a throwaway redis-server.
export default libraryConfig({ index: 'src/index.ts', testing: 'src/testing.ts' }, { platform: 'node' });

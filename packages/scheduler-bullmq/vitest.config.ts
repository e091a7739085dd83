import { packageTestConfig } from '../../config/vitest';

export default packageTestConfig;

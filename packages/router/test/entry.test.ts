import { expect, it } from 'vitest';
import { ROUTER_PACKAGE } from '../src/index';

it('exports its package name', () => {
  expect(ROUTER_PACKAGE).toBe('@spgdataset/router');
});

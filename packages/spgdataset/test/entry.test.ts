import { expect, it } from 'vitest';
import { fingerprint, SpgConfigError } from '../src/index';

it('re-exports core', () => {
  expect(fingerprint({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
  expect(new SpgConfigError([{ path: 'nMels', message: 'must be positive' }]).message).toMatch(
    /nMels: must be positive/,
  );
});

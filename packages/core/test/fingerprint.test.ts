import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from '../src/index';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 2, y: 3 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":3,"z":2}]},"b":1}',
    );
  });
  it('rejects NaN and Infinity, naming where', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow(/\$\.a\[1\]/);
    expect(() => canonicalJson({ x: Number.POSITIVE_INFINITY })).toThrow(/\$\.x/);
  });
});

describe('fingerprint', () => {
  it('is 16 hex digits, stable across key order, and moves with any value', () => {
    const a = fingerprint({ nFft: 400, hop: 160 });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint({ hop: 160, nFft: 400 })).toBe(a);
    expect(fingerprint({ nFft: 400, hop: 161 })).not.toBe(a);
  });
  it('matches an independent SHA-256 of the canonical text', async () => {
    const { createHash } = await import('node:crypto');
    const text = canonicalJson({ nFft: 400, hop: 160 });
    expect(fingerprint({ nFft: 400, hop: 160 })).toBe(
      createHash('sha256').update(text).digest('hex').slice(0, 16),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { HALF_SLAB_BYTES, HalfSlabs } from '../src/cache/half-slabs';

describe('HalfSlabs', () => {
  it('carves consecutive, non-overlapping, zeroed arrays out of one shared buffer', () => {
    const slabs = new HalfSlabs();
    const a = slabs.allocate(1000, HALF_SLAB_BYTES);
    const b = slabs.allocate(500, HALF_SLAB_BYTES);
    expect(b.buffer).toBe(a.buffer);
    expect(a.buffer.byteLength).toBe(HALF_SLAB_BYTES);
    expect([a.byteOffset, a.length, b.byteOffset, b.length]).toEqual([0, 1000, 2000, 500]);
    expect(b.every((v) => v === 0)).toBe(true);
    a.fill(0xffff);
    expect(b.every((v) => v === 0)).toBe(true);
  });

  it('starts a new buffer when the next array does not fit the current one', () => {
    const slabs = new HalfSlabs();
    const half = HALF_SLAB_BYTES / 2 / 2; // values filling half a buffer
    const a = slabs.allocate(half + 1, HALF_SLAB_BYTES);
    const b = slabs.allocate(half, HALF_SLAB_BYTES);
    expect(b.buffer).not.toBe(a.buffer);
    expect(b.byteOffset).toBe(0);
  });

  it('never makes a buffer larger than the limit, unless one array needs more', () => {
    const slabs = new HalfSlabs();
    const a = slabs.allocate(100, 1000);
    expect(a.buffer.byteLength).toBe(1000);
    const b = slabs.allocate(400, 1000); // 200 + 800 bytes: exactly fills the 1000-byte buffer
    expect(b.buffer).toBe(a.buffer);
    const big = slabs.allocate(5000, 1000); // needs 10,000 bytes: a buffer of its own
    expect(big.buffer.byteLength).toBe(10_000);
    expect(big.length).toBe(5000);
  });

  it('gives an array that fills a buffer alone its own buffer and keeps the current one open', () => {
    const slabs = new HalfSlabs();
    const a = slabs.allocate(10, HALF_SLAB_BYTES);
    const whole = slabs.allocate(HALF_SLAB_BYTES / 2, HALF_SLAB_BYTES);
    expect(whole.buffer).not.toBe(a.buffer);
    expect(slabs.allocate(10, HALF_SLAB_BYTES).buffer).toBe(a.buffer);
  });

  it('reset forgets the current buffer', () => {
    const slabs = new HalfSlabs();
    const a = slabs.allocate(10, HALF_SLAB_BYTES);
    slabs.reset();
    expect(slabs.allocate(10, HALF_SLAB_BYTES).buffer).not.toBe(a.buffer);
  });
});

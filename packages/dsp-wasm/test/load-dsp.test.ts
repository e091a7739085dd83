import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const wasmPath = fileURLToPath(new URL('../dist/dsp.wasm', import.meta.url));

describe('dsp.wasm pipeline', () => {
  it('was built from the Rust crate into dist/', () => {
    expect(existsSync(wasmPath)).toBe(true);
    // "\0asm" magic and version 1.
    expect([...readFileSync(wasmPath).subarray(0, 8)]).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
  });

  it('the built Node entry loads it and sums in wasm', async () => {
    const { loadDsp } = await import('@spgdataset/dsp-wasm');
    const dsp = await loadDsp();
    const values = Float32Array.from({ length: 1001 }, (_, i) => i * 0.5);
    expect(dsp.sum(values)).toBe(250250);
  });

  it('accepts explicit bytes and a compiled module', async () => {
    const { loadDsp } = await import('@spgdataset/dsp-wasm');
    const bytes = new Uint8Array(readFileSync(wasmPath));
    expect((await loadDsp(bytes)).sum(new Float32Array([1, 2, 3]))).toBe(6);
    const module = await WebAssembly.compile(bytes);
    expect((await loadDsp(module)).sum(new Float32Array([4, 5]))).toBe(9);
  });
});

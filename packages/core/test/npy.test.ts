import { describe, expect, it } from 'vitest';
import {
  decodeNpy,
  encodeNpy,
  encodeNpyHeader,
  npyByteLength,
  npyParts,
  npySizeMismatch,
  readNpyHeader,
} from '../src/codec/npy';
import { SpgCacheError } from '../src/errors/spg-cache-error';

// Written by NumPy 1.24 (np.save) for [[0, -0, 1.5], [inf, -2.25, 1e-45]] ('<f4'; 1e-45 is the
// smallest float32 subnormal) and the same values as '<f2' (with 2^-24 in place of 1e-45).
const numpy = {
  f32: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAgAAAwD8AAIB/AAAQwAEAAAA=',
  f16: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAACAAD4AfIDAAQA=',
  oneD: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAQEA=',
  v2: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAgAAAwD8AAIB/AAAQwAEAAAA=',
  fortran:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAfwAAAIAAABDAAADAPwEAAAA=',
  f8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAACAAAAAAAAA+D8AAAAAAADwfwAAAAAAAALAAAAAAAAAoDY=',
};
const bytes = (name: keyof typeof numpy) => new Uint8Array(Buffer.from(numpy[name], 'base64'));
const bits = (data: Float32Array) => Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length));
// Bit patterns of 0, -0, 1.5, inf, -2.25 and the smallest subnormal / 2^-24.
const f32Bits = [0x00000000, 0x80000000, 0x3fc00000, 0x7f800000, 0xc0100000, 0x00000001];
const f16Bits = [0x00000000, 0x80000000, 0x3fc00000, 0x7f800000, 0xc0100000, 0x33800000];

function tensorOf(values: number[], shape: number[]) {
  return { data: new Float32Array(new Uint32Array(values).buffer), shape };
}

function expectCorrupt(input: Uint8Array, fragment: RegExp) {
  let caught: unknown;
  try {
    decodeNpy(input, { path: '/cache/x.npy' });
  } catch (error) {
    caught = error;
  }
  expect(SpgCacheError.isInstance(caught)).toBe(true);
  const error = caught as SpgCacheError;
  expect(error.code).toBe('SPG_CACHE_CORRUPT');
  expect(error.path).toBe('/cache/x.npy');
  expect(error.message).toContain('/cache/x.npy');
  expect(error.message).toMatch(fragment);
}

describe('npy codec', () => {
  it('writes exactly the bytes NumPy writes (float32 and float16, 2-D and 1-D)', () => {
    expect(encodeNpy(tensorOf(f32Bits, [2, 3]), 'float32')).toEqual(bytes('f32'));
    expect(encodeNpy(tensorOf(f16Bits, [2, 3]), 'float16')).toEqual(bytes('f16'));
    expect(encodeNpy({ data: Float32Array.of(1, 2, 3), shape: [3] })).toEqual(bytes('oneD'));
  });

  it('reads NumPy files (v1.0 and v2.0, float32 and float16)', () => {
    for (const name of ['f32', 'v2'] as const) {
      const a = decodeNpy(bytes(name));
      expect(a.dtype).toBe('float32');
      expect(a.shape).toEqual([2, 3]);
      expect(bits(a.data)).toEqual(f32Bits);
    }
    const h = decodeNpy(bytes('f16'));
    expect(h.dtype).toBe('float16');
    expect(bits(h.data)).toEqual(f16Bits);
    expect(decodeNpy(bytes('oneD')).shape).toEqual([3]);
  });

  it('starts the data on a 64-byte boundary and reports its own file size', () => {
    for (const shape of [[80, 192], [80, 2000], [1, 1], [128, 123456], [3]]) {
      const file = encodeNpy({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)), shape });
      const headerLength = file[8]! | (file[9]! << 8);
      expect((10 + headerLength) % 64).toBe(0);
      expect(file[10 + headerLength - 1]).toBe(0x0a);
      expect(npyByteLength(shape)).toBe(file.length);
    }
  });

  it('round-trips an empty [80, 0] tensor and decodes from an unaligned offset', () => {
    const empty = decodeNpy(encodeNpy({ data: new Float32Array(0), shape: [80, 0] }));
    expect(empty.shape).toEqual([80, 0]);
    expect(empty.data.length).toBe(0);
    const file = bytes('f32');
    const shifted = new Uint8Array(file.length + 1);
    shifted.set(file, 1);
    expect(bits(decodeNpy(shifted.subarray(1)).data)).toEqual(f32Bits);
  });

  it('rejects damaged or unsupported files with SPG_CACHE_CORRUPT naming the path', () => {
    const good = bytes('f32');
    expectCorrupt(good.subarray(0, good.length - 1), /bytes, expected 152/);
    expectCorrupt(Uint8Array.from([...good, 0]), /153 bytes, expected 152/);
    expectCorrupt(good.subarray(0, 50), /truncated header/);
    expectCorrupt(new Uint8Array(0), /magic/);
    const badMagic = good.slice();
    badMagic[1] = 0x4f;
    expectCorrupt(badMagic, /magic/);
    const badVersion = good.slice();
    badVersion[6] = 4;
    expectCorrupt(badVersion, /version 4\.0/);
    expectCorrupt(bytes('fortran'), /fortran_order/);
    expectCorrupt(bytes('f8'), /'<f8'/);
    const edit = (from: string, to: string) => {
      const text = Buffer.from(good).toString('latin1').replace(from, to);
      return new Uint8Array(Buffer.from(text, 'latin1'));
    };
    expectCorrupt(edit("'<f4'", "'>f4'"), /'>f4'/);
    expectCorrupt(edit('(2, 3)', '(2, x)'), /shape/);
    expectCorrupt(edit("'shape'", "'shope'"), /exactly descr/);
    expectCorrupt(edit('{', '['), /not a dict/);
  });

  it('npyParts gives the header and a view of the values (no copy) that together are encodeNpy', () => {
    const t = { data: Float32Array.from({ length: 80 * 7 }, (_, i) => i / 3), shape: [80, 7] };
    const [header, values] = npyParts(t);
    expect(values.buffer).toBe(t.data.buffer);
    expect(Buffer.concat([header, values])).toEqual(Buffer.from(encodeNpy(t)));
    const scratch = new Uint16Array(80 * 10);
    const [, halves] = npyParts(t, 'float16', {}, scratch);
    expect(halves.buffer).toBe(scratch.buffer);
    expect(Buffer.concat([encodeNpyHeader(t.shape, 'float16'), halves])).toEqual(
      Buffer.from(encodeNpy(t, 'float16')),
    );
  });

  it('readNpyHeader reads the shape from the first bytes alone; a short file fails the size check', () => {
    const file = encodeNpy({ data: new Float32Array(80 * 5), shape: [80, 5] });
    const header = readNpyHeader(file.subarray(0, 128), { path: 'x.npy' });
    expect(header).toEqual({ dtype: 'float32', shape: [80, 5], dataOffset: 128, byteLength: file.length });
    expect(npySizeMismatch(header, 1000, { path: 'x.npy' }).code).toBe('SPG_CACHE_CORRUPT');
    expect(() => readNpyHeader(file.subarray(0, 60), { path: 'x.npy' })).toThrow(/truncated header/);
  });

  it('rejects tensors whose data does not match the shape', () => {
    expect(() => encodeNpy({ data: new Float32Array(5), shape: [2, 3] })).toThrow(/product of the shape/);
  });
});

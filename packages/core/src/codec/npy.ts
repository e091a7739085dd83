// NumPy .npy format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
// magic "\x93NUMPY", version (major, minor), header length (uint16 LE in v1.0, uint32 LE in v2/v3),
// a Python dict literal padded with spaces and "\n" so that the data starts on a 64-byte boundary,
// then the raw little-endian values in C order.

import { shapeSize, type Tensor } from '../contracts/tensor';
import { SpgCacheError } from '../errors/spg-cache-error';
import { float16ArrayToFloat32, float32ArrayToFloat16 } from './float16';

/** Element types the codec reads and writes: '<f4' and '<f2'. */
export type NpyDtype = 'float32' | 'float16';

/** A decoded .npy array; float16 files are widened to float32 (exactly). */
export interface NpyArray extends Tensor {
  /** The element type stored in the file. */
  dtype: NpyDtype;
}

/** Where the bytes came from, for error messages. */
export interface NpyContext {
  path?: string;
  key?: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64;
const DESCR: Record<NpyDtype, string> = { float32: '<f4', float16: '<f2' };
const BYTES: Record<NpyDtype, number> = { float32: 4, float16: 2 };
const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function headerText(shape: readonly number[], dtype: NpyDtype): string {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': (${dims}), }`;
  // 10 = magic (6) + version (2) + header length (2); pad with spaces, end with "\n".
  const total = Math.ceil((10 + dict.length + 1) / ALIGN) * ALIGN;
  return `${dict}${' '.repeat(total - 10 - dict.length - 1)}\n`;
}

/** Size in bytes of the .npy v1.0 file `encodeNpy` writes for `shape` and `dtype`. */
export function npyByteLength(shape: readonly number[], dtype: NpyDtype = 'float32'): number {
  return 10 + headerText(shape, dtype).length + shapeSize(shape) * BYTES[dtype];
}

function assertTensor(tensor: Tensor, where: NpyContext): void {
  const { shape, data } = tensor;
  const badShape = !Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0);
  if (badShape || !(data instanceof Float32Array) || shapeSize(shape) !== data.length) {
    throw new SpgCacheError(
      'SPG_CACHE_BAD_TENSOR',
      `Cannot store tensor with shape ${JSON.stringify(shape)} and ${data?.length} values${where.key ? ` under key "${where.key}"` : ''}: expected a Float32Array whose length is the product of the shape's non-negative whole dimensions.`,
      { ...where, operation: 'put' },
    );
  }
}

/**
 * The first bytes of the .npy v1.0 file of a `shape` and `dtype`: magic, version, header length and
 * the padded header dict, `npyByteLength(shape, dtype) - values` bytes (128 for spectrogram shapes).
 */
export function encodeNpyHeader(shape: readonly number[], dtype: NpyDtype = 'float32'): Uint8Array {
  const header = headerText(shape, dtype);
  const out = new Uint8Array(10 + header.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >>> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  return out;
}

/**
 * A tensor as the two parts of its .npy file, header and values, without joining them: a writer can
 * hand both to one `writev`, so the values are never copied into a file-sized buffer. The values are
 * a view of `tensor.data` for float32 on little-endian hosts; float16 values are written into
 * `scratch` when it is large enough (else into a new array).
 */
export function npyParts(
  tensor: Tensor,
  dtype: NpyDtype = 'float32',
  where: NpyContext = {},
  scratch?: Uint16Array,
): [header: Uint8Array, values: Uint8Array] {
  assertTensor(tensor, where);
  const header = encodeNpyHeader(tensor.shape, dtype);
  let values: Float32Array | Uint16Array = tensor.data;
  if (dtype === 'float16') {
    const target =
      scratch && scratch.length >= tensor.data.length ? scratch.subarray(0, tensor.data.length) : undefined;
    values = float32ArrayToFloat16(tensor.data, target);
  }
  let bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (!littleEndianHost) {
    bytes = bytes.slice();
    swapBytes(bytes, BYTES[dtype]);
  }
  return [header, bytes];
}

/** Encodes a tensor as a .npy v1.0 file ('<f4' or '<f2', C order). */
export function encodeNpy(tensor: Tensor, dtype: NpyDtype = 'float32', where: NpyContext = {}): Uint8Array {
  const [header, values] = npyParts(tensor, dtype, where);
  const out = new Uint8Array(header.length + values.length);
  out.set(header, 0);
  out.set(values, header.length);
  return out;
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

function corrupt(where: NpyContext, problem: string): SpgCacheError {
  const name = where.path ?? where.key ?? '<bytes>';
  return new SpgCacheError(
    'SPG_CACHE_CORRUPT',
    `Cache entry ${name} is not a valid float32/float16 .npy file: ${problem}. Delete it (the dataset regenerates it).`,
    { ...where, operation: 'get' },
  );
}

const ENTRY = /'(descr|fortran_order|shape)'\s*:\s*('[^']*'|True|False|\([^)]*\))\s*(,|(?=\s*\}))/g;

function parseHeader(text: string, where: NpyContext): { dtype: NpyDtype; shape: number[] } {
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) throw corrupt(where, `header is not a dict: ${body}`);
  const fields = new Map<string, string>();
  const rest = body.slice(1, -1).replace(ENTRY, (_, name: string, value: string) => {
    fields.set(name, value);
    return '';
  });
  if (rest.trim() !== '' || fields.size !== 3)
    throw corrupt(where, `header must hold exactly descr, fortran_order and shape: ${body}`);
  const descr = fields.get('descr')!.slice(1, -1);
  const dtype = (Object.keys(DESCR) as NpyDtype[]).find((d) => DESCR[d] === descr);
  if (!dtype) throw corrupt(where, `descr '${descr}' is not '<f4' or '<f2'`);
  if (fields.get('fortran_order') !== 'False') throw corrupt(where, 'fortran_order must be False (C order)');
  const dims = fields.get('shape')!.slice(1, -1).trim();
  const parts = dims === '' ? [] : dims.replace(/,\s*$/, '').split(',');
  const shape = parts.map((p) => (/^\s*\d+\s*$/.test(p) ? Number(p) : Number.NaN));
  if (shape.some((d) => !Number.isSafeInteger(d)))
    throw corrupt(where, `shape (${dims}) is not whole numbers`);
  return { dtype, shape };
}

/** What the start of a .npy file says: element type, shape, where the values start and the file's size. */
export interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  /** Byte offset of the first value. */
  dataOffset: number;
  /** Bytes the whole file must have: `dataOffset` + values x element size. */
  byteLength: number;
}

/**
 * Reads and validates the header at the start of a .npy file (magic, version, dict) from its first
 * bytes, without needing the values: `bytes` may be just the beginning of the file (128 bytes hold
 * the header `encodeNpy` writes for any shape of up to 5 dimensions). A header longer than `bytes`
 * is reported as truncated. Problems throw `SpgCacheError` (`SPG_CACHE_CORRUPT`) naming `where.path`.
 */
export function readNpyHeader(bytes: Uint8Array, where: NpyContext = {}): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw corrupt(where, 'missing \\x93NUMPY magic');
  const major = bytes[6]!;
  if (major < 1 || major > 3 || bytes[7] !== 0)
    throw corrupt(where, `format version ${major}.${bytes[7]} is not 1.0, 2.0 or 3.0`);
  const lengthBytes = major === 1 ? 2 : 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 + lengthBytes) throw corrupt(where, 'truncated header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (bytes.length < dataOffset)
    throw corrupt(where, `truncated header (${bytes.length} of ${dataOffset} bytes)`);
  let text = '';
  for (let i = 8 + lengthBytes; i < dataOffset; i++) text += String.fromCharCode(bytes[i]!);
  const { dtype, shape } = parseHeader(text, where);
  return { dtype, shape, dataOffset, byteLength: dataOffset + shapeSize(shape) * BYTES[dtype] };
}

/** The `SpgCacheError` for a file whose size is not what its header says. */
export function npySizeMismatch(header: NpyHeader, actual: number, where: NpyContext = {}): SpgCacheError {
  return corrupt(
    where,
    `${actual} bytes, expected ${header.byteLength} for shape (${header.shape.join(', ')}) ${DESCR[header.dtype]}`,
  );
}

/**
 * Decodes a .npy file written by `encodeNpy` or NumPy (versions 1.0-3.0, '<f4'/'<f2', C order),
 * validating the magic, version, header and exact byte length. float32 data is a view of `bytes`
 * when aligned (no copy), so do not reuse `bytes` afterwards. Problems throw `SpgCacheError`
 * (code `SPG_CACHE_CORRUPT`) naming `where.path`.
 */
export function decodeNpy(bytes: Uint8Array, where: NpyContext = {}): NpyArray {
  const header = readNpyHeader(bytes, where);
  const { dtype, shape, dataOffset } = header;
  if (bytes.length !== header.byteLength) throw npySizeMismatch(header, bytes.length, where);
  const count = shapeSize(shape);
  const start = bytes.byteOffset + dataOffset;
  if (!littleEndianHost) {
    const copy = bytes.slice(dataOffset);
    swapBytes(copy, BYTES[dtype]);
    return finish(copy.buffer, 0, count, dtype, shape);
  }
  if (start % BYTES[dtype] === 0) return finish(bytes.buffer as ArrayBuffer, start, count, dtype, shape);
  const copy = bytes.slice(dataOffset);
  return finish(copy.buffer, 0, count, dtype, shape);
}

function finish(
  buffer: ArrayBuffer,
  offset: number,
  count: number,
  dtype: NpyDtype,
  shape: number[],
): NpyArray {
  const data =
    dtype === 'float32'
      ? new Float32Array(buffer, offset, count)
      : float16ArrayToFloat32(new Uint16Array(buffer, offset, count));
  return { data, shape, dtype };
}

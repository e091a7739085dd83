import type { open } from 'node:fs/promises';
import {
  type CacheKey,
  float16ArrayToFloat32,
  type NpyHeader,
  SpgCacheError,
  transposeInto,
} from '@spgdataset/core';

/** Throws `SpgCacheError` (`SPG_CACHE_BAD_WINDOW`) unless columns `[first, first + count)` are in the entry. */
export function checkColumns(
  header: NpyHeader,
  first: number,
  count: number,
  key: CacheKey,
  path: string,
): void {
  const columns = header.shape[1] ?? 0;
  const whole = Number.isSafeInteger(first) && Number.isSafeInteger(count);
  if (header.shape.length !== 2 || !(whole && first >= 0 && count >= 0 && first + count <= columns))
    throw new SpgCacheError(
      'SPG_CACHE_BAD_WINDOW',
      `Columns [${first}, ${first + count}) are not inside cache entry ${path} of shape (${header.shape.join(', ')}).`,
      { key: key.id, path, operation: 'get' },
    );
}

/**
 * Reads columns `[first, first + count)` of a 2-D entry into `out` (`[rows, count]`, row-major): one
 * positional read for a Fortran-order (frame-major) entry, then a transpose; one read per row for a C-order one.
 */
export async function readColumns(
  handle: Awaited<ReturnType<typeof open>>,
  header: NpyHeader,
  first: number,
  count: number,
  out: Float32Array,
): Promise<void> {
  const [rows, columns] = header.shape as [number, number];
  const width = header.dtype === 'float32' ? 4 : 2;
  const readExactly = async (bytes: Uint8Array, position: number) => {
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await handle.read(bytes, done, bytes.length - done, position + done);
      if (bytesRead === 0) throw new Error(`the file ended at byte ${position + done} (truncated?)`);
      done += bytesRead;
    }
  };
  const decode = (bytes: Uint8Array): Float32Array => {
    // A header of any length: copy when the values are not aligned for a typed view.
    const aligned = bytes.byteOffset % width === 0 ? bytes : bytes.slice();
    const count = aligned.length / width;
    return width === 4
      ? new Float32Array(aligned.buffer as ArrayBuffer, aligned.byteOffset, count)
      : float16ArrayToFloat32(new Uint16Array(aligned.buffer as ArrayBuffer, aligned.byteOffset, count));
  };
  if (header.order === 'F') {
    const bytes = new Uint8Array(rows * count * width);
    await readExactly(bytes, header.dataOffset + first * rows * width);
    transposeInto(decode(bytes), count, rows, out);
  } else {
    const bytes = new Uint8Array(count * width);
    for (let r = 0; r < rows; r++) {
      await readExactly(bytes, header.dataOffset + (r * columns + first) * width);
      out.set(decode(bytes), r * count);
    }
  }
}

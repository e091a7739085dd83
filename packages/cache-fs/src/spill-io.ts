import { type FileHandle, open } from 'node:fs/promises';

/** Header bytes reserved at the start of a spilled entry: the header of any `[rows, frames]` shape fits. */
export const RESERVED_HEADER = 128;
const littleEndianHost = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** A temporary file next to the entry, named `<entry>.<digits>` (what `removeStrays` recognises). */
export async function createTemp(file: string): Promise<{ path: string; handle: FileHandle }> {
  for (let attempt = 0; ; attempt++) {
    const path = `${file}.${Math.floor(Math.random() * 2 ** 47)}`;
    try {
      return { path, handle: await open(path, 'wx+') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw error;
    }
  }
}

/** The little-endian bytes of `values` (a view on little-endian hosts, a swapped copy otherwise). */
export function bytesOf(values: Float32Array | Uint16Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (littleEndianHost) return bytes;
  const copy = bytes.slice();
  const width = values.BYTES_PER_ELEMENT;
  for (let i = 0; i < copy.length; i += width) copy.subarray(i, i + width).reverse();
  return copy;
}

export async function writeAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** Fills `values` with the little-endian float32 values stored at `position`. */
export async function readValuesAt(
  handle: FileHandle,
  values: Float32Array,
  position: number,
): Promise<void> {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let done = 0;
  while (done < bytes.length) {
    const { bytesRead } = await handle.read(bytes, done, bytes.length - done, position + done);
    if (bytesRead === 0) throw new Error(`the temporary file ended at byte ${position + done}`);
    done += bytesRead;
  }
  if (!littleEndianHost) bytes.set(bytesOf(new Float32Array(bytes.slice().buffer)));
}

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `data` to `path` so readers see the old file or the whole new one, never a part, using
 * the well-kept `write-file-atomic` (temporary file `<path>.<number>` in the same folder, fsync
 * unless told otherwise, rename over). Creates the folder first. A crash leaves at most a stray
 * temporary file, which never has the final name.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: { fsync?: boolean } = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Loaded on first use: generation workers import this module but never write an index.
  const { default: writeFileAtomicLibrary } = await import('write-file-atomic');
  await writeFileAtomicLibrary(
    path,
    typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    {
      fsync: options.fsync ?? true,
    },
  );
}

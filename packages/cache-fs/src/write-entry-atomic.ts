import { type FileHandle, open, rename, unlink } from 'node:fs/promises';

/**
 * Writes `chunks` (e.g. an .npy header and a view of the values) as the file `path` so that readers
 * see the previous file or the whole new one, never a part: a temporary file `<path>.<digits>` in
 * the same folder (created exclusively, so concurrent writers never share one), one `writev`,
 * optionally `datasync`, close, rename over `path`. Four system calls without the sync; no copy of
 * the chunks into one buffer. The folder must exist. A process killed mid-way leaves at most the
 * temporary file, which never has the final name; a failed write removes it.
 *
 * Why not `write-file-atomic`: it takes one buffer (the values would be copied into a file-sized
 * array per entry) and resolves the real path of every file first, which costs more than the write.
 */
export async function writeEntryAtomic(
  path: string,
  chunks: readonly Uint8Array[],
  options: { fsync: boolean },
): Promise<void> {
  let temp = '';
  let handle: FileHandle | undefined;
  for (let attempt = 0; handle === undefined; attempt++) {
    // Digits only (crash leftovers are recognisable as `<entry>.npy.<digits>`); 'wx' settles clashes.
    temp = `${path}.${Math.floor(Math.random() * 2 ** 47)}`;
    try {
      handle = await open(temp, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw error;
    }
  }
  try {
    try {
      await writeAll(handle, chunks);
      if (options.fsync) await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/** One `writev` of every chunk; continues with plain writes in the rare case of a short write. */
async function writeAll(handle: FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  let written = (await handle.writev(chunks as Uint8Array[])).bytesWritten;
  if (written === total) return;
  let offset = 0;
  for (const chunk of chunks) {
    const end = offset + chunk.byteLength;
    if (end > written) {
      let from = Math.max(0, written - offset);
      while (from < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, from, chunk.byteLength - from, offset + from);
        from += bytesWritten;
        written += bytesWritten;
      }
    }
    offset = end;
  }
}

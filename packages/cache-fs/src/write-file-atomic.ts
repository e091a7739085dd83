import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';

/** Suffix of in-flight temporary files (never a cache entry; `keys()` skips them). */
export const TEMP_SUFFIX = '.tmp';

let counter = 0;

/**
 * Writes `bytes` to `file` atomically: a temporary file in the same directory (same filesystem, so
 * the rename is atomic), written completely, optionally fsynced, then renamed over `file`. Readers
 * see the old file or the whole new one, never a part; a crash leaves at most a stray `*.tmp`.
 * Unique temp names (pid, counter, random) let several processes write one key at once: the last
 * rename wins and every intermediate state is a complete file.
 */
export async function writeFileAtomic(
  file: string,
  bytes: Uint8Array,
  { fsync }: { fsync: boolean },
): Promise<void> {
  const temp = `${file}.${process.pid}-${(counter++).toString(36)}-${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temp, 'wx');
    await handle.writeFile(bytes); // loops over short writes
    if (fsync) await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
}

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileIndexStore } from '@spgdataset/core/node';

/** Bytes of every file under `root` (0 when it does not exist). */
export async function folderBytes(root: string): Promise<number> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const entry of entries) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) total += await folderBytes(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

/**
 * Seconds of audio in the persisted index (docs/behaviour.md#caches, read through core's `fileIndexStore`): the sum
 * of the indexed files' lengths over the sample rate. `undefined` when the index cannot be read.
 */
export async function indexedAudioSeconds(
  indexRoot: string,
  indexFingerprint: string,
  sampleRate: number,
): Promise<number | undefined> {
  const index = await fileIndexStore(indexRoot)
    .load(indexFingerprint)
    .catch(() => undefined);
  const files = (index as { files?: { length?: unknown }[] } | undefined)?.files;
  if (!Array.isArray(files)) return undefined;
  let samples = 0;
  for (const f of files) {
    if (typeof f?.length !== 'number') return undefined;
    samples += f.length;
  }
  return samples / sampleRate;
}

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

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

async function findFile(
  root: string,
  test: (name: string) => boolean,
  depth = 3,
): Promise<string | undefined> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) if (entry.isFile() && test(entry.name)) return join(root, entry.name);
  if (depth > 0)
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const found = await findFile(join(root, entry.name), test, depth - 1);
      if (found) return found;
    }
  return undefined;
}

/**
 * Seconds of audio in the persisted index (SPEC 10: readable JSON under `indexRoot`, named by its
 * fingerprint): the sum of the indexed files' lengths over the sample rate. `undefined` when the
 * index file cannot be found or read.
 */
export async function indexedAudioSeconds(
  indexRoot: string,
  indexFingerprint: string,
  sampleRate: number,
): Promise<number | undefined> {
  const path = await findFile(indexRoot, (name) => name.includes(indexFingerprint) && name.endsWith('.json'));
  if (!path) return undefined;
  try {
    const index = JSON.parse(await readFile(path, 'utf8')) as { files?: { length?: unknown }[] };
    if (!Array.isArray(index.files)) return undefined;
    let samples = 0;
    for (const f of index.files) {
      if (typeof f.length !== 'number') return undefined;
      samples += f.length;
    }
    return samples / sampleRate;
  } catch {
    return undefined;
  }
}

import type { AudioSource } from '../contracts/audio-source';
import { SpgConfigError } from '../errors/spg-config-error';
import { assertSourcePath } from './source-path';
import { sourceReadError } from './source-read-error';

/** A browser `File` (its `webkitRelativePath` or `name` is the path) or an explicit `{ path, blob }`. */
export type FileListEntry = File | { path: string; blob: Blob };

function entryPath(entry: FileListEntry): string {
  if ('blob' in entry) return entry.path;
  const relative = (entry as File & { webkitRelativePath?: string }).webkitRelativePath;
  return relative || entry.name;
}

/**
 * A source over browser files: an `<input type="file" webkitdirectory>` list, drag-and-drop, or
 * `{ path, blob }` pairs. Change token = `lastModified` of a `File` (else "0"). Paths must be safe
 * relative POSIX paths and unique. `readRange` reads `Blob` slices, so a multi-hour file is decoded
 * piece by piece in bounded memory. Not recreatable from JSON (its options only count the files).
 *
 * @example
 * const source = fileListSource([...input.files]);
 */
export function fileListSource(files: Iterable<FileListEntry>): AudioSource {
  const byPath = new Map<string, Blob>();
  const issues: { path: string; message: string }[] = [];
  let i = 0;
  for (const entry of files) {
    const path = entryPath(entry);
    try {
      assertSourcePath(path, `files[${i}]`);
      if (byPath.has(path)) issues.push({ path: `files[${i}]`, message: `"${path}" is listed twice` });
      byPath.set(path, 'blob' in entry ? entry.blob : entry);
    } catch (error) {
      if (!SpgConfigError.isInstance(error)) throw error;
      issues.push(...error.issues);
    }
    i++;
  }
  if (issues.length) throw new SpgConfigError(issues);
  const get = (path: string) => {
    const blob = byPath.get(path);
    if (!blob) throw sourceReadError('core/file-list', path, 'not in the file list');
    return blob;
  };
  return {
    kind: 'source',
    id: 'core/file-list',
    options: { files: byPath.size },
    list: async () => [...byPath.keys()].sort(),
    read: async (path) => new Uint8Array(await get(path).arrayBuffer()),
    // A slice of a File reads only that part (the page never holds a long recording whole).
    readRange: async (path, offset, length) =>
      new Uint8Array(
        await get(path)
          .slice(offset, offset + length)
          .arrayBuffer(),
      ),
    stat: async (path) => {
      const blob = get(path) as Blob & { lastModified?: number };
      return { size: blob.size, changeToken: String(blob.lastModified ?? 0) };
    },
  };
}

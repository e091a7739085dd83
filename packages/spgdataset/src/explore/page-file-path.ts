import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * The file under `root` that the URL path `rawPath` names (`/` is index.html), or undefined. Each
 * segment is percent-decoded on its own and refused when it is empty, `.` or `..`, or holds a
 * slash, a backslash, a colon or a NUL, so neither `..` nor its encodings, absolute paths nor
 * Windows separators can leave `root`; the real path (symlinks followed) must still lie inside it.
 */
export async function pageFilePath(root: string, rawPath: string): Promise<string | undefined> {
  if (!rawPath.startsWith('/')) return undefined;
  const segments: string[] = [];
  for (const raw of rawPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '' || segment === '.' || segment === '..' || /[/\\:\0]/.test(segment)) {
      if (raw === '' && segments.length === 0 && rawPath === '/') break;
      return undefined;
    }
    segments.push(segment);
  }
  if (segments.length === 0) segments.push('index.html');
  try {
    const base = await realpath(root);
    const file = await realpath(join(base, ...segments));
    if (!file.startsWith(base + sep)) return undefined;
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

import { statSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import * as v from 'valibot';
import type { AudioSource } from '../contracts/audio-source';
import type { PluginDefinition } from '../contracts/plugin-definition';
import { SpgConfigError } from '../errors/spg-config-error';
import { assertSourcePath } from '../source/source-path';
import { sourceReadError } from '../source/source-read-error';

const id = 'core/fs';

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return (
    rel === '' ||
    (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel))
  );
}

/**
 * Audio files under a folder. `list()` walks it recursively and returns sorted relative POSIX
 * paths (symlinks are followed only while they stay inside the root; ones that escape are left
 * out); `stat()` gives the size and `mtimeMs` as change token; `read()` the bytes. Paths are checked
 * (no `..`, absolute or empty segments) and resolved symlinks must stay inside the root. A missing
 * root is an `SpgConfigError` naming it.
 *
 * @example
 * const source = fsSource('data/audio');
 */
export function fsSource(root: string): AudioSource {
  const absolute = resolve(root);
  let isDir = false;
  try {
    isDir = statSync(absolute).isDirectory();
  } catch {}
  if (!isDir)
    throw new SpgConfigError([
      { path: 'root', message: `audio root "${root}" (${absolute}) does not exist or is not a folder` },
    ]);
  let realRoot: Promise<string> | undefined;
  const getRealRoot = () => {
    realRoot ??= realpath(absolute);
    return realRoot;
  };

  /** Absolute real path of `path`, checked to stay inside the root. */
  const locate = async (path: string): Promise<string> => {
    assertSourcePath(path, 'path');
    const full = join(absolute, ...path.split('/'));
    let real: string;
    try {
      real = await realpath(full);
    } catch (cause) {
      throw sourceReadError(id, path, `no such file under ${root}`, cause);
    }
    if (!inside(await getRealRoot(), real))
      throw sourceReadError(id, path, `it resolves outside ${root} (symlink)`);
    return real;
  };

  return {
    kind: 'source',
    id,
    options: { root },
    async list() {
      const top = await getRealRoot();
      const out: string[] = [];
      const seen = new Set<string>([top]);
      const walk = async (dir: string, prefix: string): Promise<void> => {
        const entries = await readdir(dir, { withFileTypes: true });
        for (const entry of entries) {
          const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
          const full = join(dir, entry.name);
          if (entry.isFile()) out.push(rel);
          else if (entry.isDirectory()) {
            seen.add(full);
            await walk(full, rel);
          } else if (entry.isSymbolicLink()) {
            let real: string;
            try {
              real = await realpath(full);
            } catch {
              continue; // dangling link
            }
            if (!inside(top, real) || seen.has(real)) continue;
            const info = await stat(real);
            if (info.isFile()) out.push(rel);
            else if (info.isDirectory()) {
              seen.add(real);
              await walk(real, rel);
            }
          }
        }
      };
      await walk(top, '');
      return out.sort();
    },
    async read(path) {
      const real = await locate(path);
      try {
        return new Uint8Array(await readFile(real));
      } catch (cause) {
        throw sourceReadError(id, path, (cause as Error).message, cause);
      }
    },
    async stat(path) {
      const info = await stat(await locate(path));
      return { size: info.size, changeToken: String(info.mtimeMs) };
    },
  };
}

const optionsSchema = v.strictObject({
  root: v.pipe(
    v.string('is required: the folder that holds the audio files (string)'),
    v.minLength(1, 'is required: the folder that holds the audio files (a non-empty path)'),
  ),
});

/** Registry definition of `fsSource`: `{ "use": "core/fs", "options": { "root": "data/audio" } }`. */
export const fsSourceDefinition: PluginDefinition<'source', v.InferOutput<typeof optionsSchema>> = {
  kind: 'source',
  id,
  module: '@spgdataset/core/node',
  schema: optionsSchema,
  create: (o) => fsSource(o.root),
};

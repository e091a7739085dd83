import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
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
 * What `stat()` reports as a file's change token, which goes into its cache key and the index
 * fingerprint: `'mtime'` (default) the modification time, free but different on every copy of the
 * audio; `'size'` nothing beyond path and size (free and the same on every machine, but a file
 * rewritten in place with the same size keeps its old spectrogram); `'content'` a SHA-256 of the
 * bytes (the same on every machine and exact, at the cost of reading every file at each open).
 */
export type ChangeTokenMode = 'mtime' | 'size' | 'content';

export interface FsSourceOptions {
  /** Default 'mtime'. Use 'size' or 'content' when several machines share one cache. */
  changeToken?: ChangeTokenMode;
}

const changeTokenModes: readonly ChangeTokenMode[] = ['mtime', 'size', 'content'];

/** SHA-256 of a file, streamed so big files never sit in memory whole (node:crypto: native speed). */
async function contentToken(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Audio files under a folder. `list()` walks it recursively and returns sorted relative POSIX
 * paths (symlinks are followed only while they stay inside the root; ones that escape are left
 * out); `stat()` gives the size and a change token (`options.changeToken`: `mtimeMs` by default);
 * `read()` the bytes. Paths are checked (no `..`, absolute or empty segments) and resolved symlinks
 * must stay inside the root. A missing root is an `SpgConfigError` naming it.
 *
 * @example
 * const source = fsSource('data/audio');
 * const shared = fsSource('/mnt/audio', { changeToken: 'content' }); // same cache keys on every machine
 */
export function fsSource(root: string, options: FsSourceOptions = {}): AudioSource {
  const mode = options.changeToken ?? 'mtime';
  if (!changeTokenModes.includes(mode))
    throw new SpgConfigError([
      {
        path: 'changeToken',
        message: `got ${JSON.stringify(mode)}; use 'mtime' (default), 'size' or 'content'`,
      },
    ]);
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
    // The default mode is left out, so configs written before the option existed stay the same.
    options: mode === 'mtime' ? { root } : { root, changeToken: mode },
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
    async read(path, into) {
      const real = await locate(path);
      try {
        if (!into) {
          const bytes = await readFile(real);
          // A plain Uint8Array view (Buffer's slice() would not copy), not a copy of the bytes.
          return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        }
        return await readInto(real, into);
      } catch (cause) {
        throw sourceReadError(id, path, (cause as Error).message, cause);
      }
    },
    async stat(path) {
      const real = await locate(path);
      const info = await stat(real);
      if (mode === 'size') return { size: info.size, changeToken: 'size' };
      if (mode === 'content') {
        try {
          return { size: info.size, changeToken: await contentToken(real) };
        } catch (cause) {
          throw sourceReadError(id, path, (cause as Error).message, cause);
        }
      }
      return { size: info.size, changeToken: String(info.mtimeMs) };
    },
  };
}

/** The file's bytes (as large as a stat says) in `into` when they fit (a view of it), else in a new array. */
async function readInto(file: string, into: Uint8Array): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const target = size <= into.byteLength ? into.subarray(0, size) : new Uint8Array(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await handle.read(target, done, size - done, done);
      if (bytesRead === 0) break; // shrank since the stat
      done += bytesRead;
    }
    return target.subarray(0, done);
  } finally {
    await handle.close();
  }
}

const optionsSchema = v.strictObject({
  root: v.pipe(
    v.string('is required: the folder that holds the audio files (string)'),
    v.minLength(1, 'is required: the folder that holds the audio files (a non-empty path)'),
  ),
  changeToken: v.optional(v.picklist(changeTokenModes, "must be 'mtime', 'size' or 'content'")),
});

/**
 * Registry definition of `fsSource`:
 * `{ "use": "core/fs", "options": { "root": "data/audio", "changeToken": "content" } }`.
 */
export const fsSourceDefinition: PluginDefinition<'source', v.InferOutput<typeof optionsSchema>> = {
  kind: 'source',
  id,
  module: '@spgdataset/core/node',
  schema: optionsSchema,
  create: (o) => fsSource(o.root, o.changeToken ? { changeToken: o.changeToken } : {}),
};

import type { AudioSource } from '../contracts/audio-source';
import { assertSourcePath } from './source-path';
import { sourceReadError } from './source-read-error';

/**
 * An in-memory source over `{ 'dir/a.wav': bytes }` (tests, browsers, generated data). The change
 * token is a per-path counter bumped by `set`, so replacing a file invalidates its cache entries.
 * Not recreatable from JSON (its options are null).
 *
 * @example
 * const source = mapSource({ 'speech/a.wav': wavBytes });
 */
export function mapSource(
  files: Record<string, Uint8Array> | Map<string, Uint8Array>,
): AudioSource & { set(path: string, bytes: Uint8Array): void } {
  const map = new Map<string, Uint8Array>();
  const versions = new Map<string, number>();
  const set = (path: string, bytes: Uint8Array) => {
    assertSourcePath(path, `files["${path}"]`);
    map.set(path, bytes);
    versions.set(path, (versions.get(path) ?? 0) + 1);
  };
  for (const [path, bytes] of files instanceof Map ? files : Object.entries(files)) set(path, bytes);
  const get = (path: string) => {
    const bytes = map.get(path);
    if (!bytes) throw sourceReadError('core/map', path, 'no such file in the map');
    return bytes;
  };
  return {
    kind: 'source',
    id: 'core/map',
    options: null,
    set,
    list: async () => [...map.keys()].sort(),
    read: async (path) => get(path),
    readRange: async (path, offset, length) => get(path).subarray(offset, offset + length),
    stat: async (path) => ({ size: get(path).byteLength, changeToken: String(versions.get(path)) }),
  };
}

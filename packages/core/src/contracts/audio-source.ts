import type { PluginBase } from './plugin';

/** Size and a token that changes whenever the file's content may have changed (mtime, etag...). */
export interface FileStat {
  size: number;
  changeToken: string;
}

/**
 * Where audio files come from: a folder on disk, a list of browser `File`s, URLs...
 * Paths are relative POSIX paths (`dir/a.wav`), never absolute, never containing `..`.
 *
 * @example
 * const source: AudioSource = {
 *   kind: 'source', id: 'example/map', options: null,
 *   list: async () => [...files.keys()].sort(),
 *   read: async (path) => files.get(path)!,
 *   stat: async (path) => ({ size: files.get(path)!.byteLength, changeToken: '0' }),
 * };
 */
export interface AudioSource extends PluginBase<'source'> {
  /** Every file under the root (audio or not), as sorted relative POSIX paths. */
  list(): Promise<string[]>;
  /**
   * The bytes of one file. With `into`, a source MAY read into it when the file fits and return a
   * view of it (the caller then owns those bytes only until it passes `into` again); sources that
   * ignore it return new bytes. A build passes two buffers in turn, so reading the next file never
   * allocates or touches fresh memory.
   */
  read(path: string, into?: Uint8Array): Promise<Uint8Array>;
  /** Size and change token of one file, without reading it. */
  stat(path: string): Promise<FileStat>;
}

import type { ByteInput } from '../contracts/audio-decoder';
import type { AudioSource } from '../contracts/audio-source';

/** Bytes a streaming decoder asks for at a time by default (about 33 s of 16 kHz 16-bit mono). */
export const DEFAULT_READ_BYTES = 1 << 20;

/** A `ByteInput` plus what its owner needs: how it reads, and a way to stop its read-ahead. */
export interface SourceByteInput extends ByteInput {
  /** Bytes a streaming decoder should ask for per read. */
  readonly readSize: number;
  /** True when the file is read in ranges; false when it was read whole (the source has no `readRange`). */
  readonly ranged: boolean;
  /** Waits for a read-ahead in flight (so its buffer can be reused). */
  close(): Promise<void>;
}

export interface SourceByteInputOptions {
  /** The file's size when known (else `source.stat` is asked). */
  size?: number;
  /** Bytes per read (default 1 MiB; tests use tiny ones). */
  readSize?: number;
  /**
   * Two buffers of at least `readSize` bytes to read into, in turn (a build reuses them from file to
   * file); default: two new ones.
   */
  buffers?: [Uint8Array, Uint8Array];
  /**
   * Reads the whole file (e.g. into a reused buffer, read ahead): used instead of ranges when given,
   * and for a source without `readRange` (default: `source.read`).
   */
  whole?: () => Promise<Uint8Array>;
}

/**
 * One file of `source` as a `ByteInput`. With `readRange`, reads are positional and the range after
 * the last one asked for is read ahead into the other buffer (sequential decoding never waits for
 * the disk when the decoder is slower than it); a returned range stays valid until the next `read`.
 * Without `readRange`, the file is read whole once and ranges are views of it: the memory of one
 * file's bytes, which the caller accepts for sources that cannot do better.
 */
export async function sourceByteInput(
  source: AudioSource,
  path: string,
  options: SourceByteInputOptions = {},
): Promise<SourceByteInput> {
  const readSize = Math.max(1, Math.floor(options.readSize ?? DEFAULT_READ_BYTES));
  if (!source.readRange || options.whole) {
    const bytes = options.whole ? await options.whole() : await source.read(path);
    return {
      size: bytes.length,
      readSize,
      ranged: false,
      read: async (offset, length) => bytes.subarray(offset, offset + length),
      close: async () => {},
    };
  }
  const readRange = source.readRange.bind(source);
  const size = options.size ?? (await source.stat(path)).size;
  const buffers = options.buffers ?? [new Uint8Array(readSize), new Uint8Array(readSize)];
  let next = 0;
  let ahead: { offset: number; length: number; bytes: Promise<Uint8Array> } | undefined;
  const start = (offset: number, length: number) => {
    const buffer = buffers[next]!;
    next = 1 - next;
    return readRange(path, offset, length, buffer.length >= length ? buffer : undefined);
  };
  return {
    size,
    readSize,
    ranged: true,
    async read(offset, length) {
      let current: Promise<Uint8Array>;
      if (ahead && ahead.offset === offset && ahead.length === length) current = ahead.bytes;
      else {
        // Not the range read ahead: let that read end before its buffer is used again.
        await ahead?.bytes.catch(() => undefined);
        current = start(offset, length);
      }
      ahead = undefined;
      const following = offset + length;
      if (following < size) {
        const bytes = start(following, length);
        bytes.catch(() => {}); // reported when (if) it is asked for
        ahead = { offset: following, length, bytes };
      }
      return current;
    },
    async close() {
      await ahead?.bytes.catch(() => undefined);
      ahead = undefined;
    },
  };
}

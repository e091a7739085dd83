import { type FileHandle, open } from 'node:fs/promises';
import { type NpyContext, type NpyHeader, npySizeMismatch, readNpyHeader } from '@spgdataset/core';

/** Bytes read from the start of an entry for its header (any spectrogram header fits). */
const HEADER_BYTES = 4096;

interface OpenEntry {
  handle: FileHandle;
  header: NpyHeader;
  /** Reads in flight: the handle is closed only once they end. */
  users: number;
  closing: boolean;
}

/**
 * Entry files kept open for window reads, least recently used closed first: a training loop reads
 * windows of the same long entries again and again, and opening, checking the header and closing a
 * file per window would cost more than the read. Each is checked once when opened (header, and size
 * against it: a damaged entry is `SPG_CACHE_CORRUPT`). An entry replaced (rename) or deleted through
 * the cache is forgotten; a handle kept open reads the entry it opened, which for content-addressed
 * keys holds the same values.
 */
export class OpenEntries {
  readonly #capacity: number;
  readonly #idleMs: number;
  readonly #entries = new Map<string, Promise<OpenEntry | undefined>>();
  #idle: ReturnType<typeof setTimeout> | undefined;

  /**
   * Keeps up to `capacity` entries open; all are closed once no window was read for `idleMs` (so a
   * cache nobody disposes, e.g. one a dataset made from options, does not hold files open for good).
   */
  constructor(capacity: number, idleMs = 30_000) {
    this.#capacity = capacity;
    this.#idleMs = idleMs;
  }

  /**
   * The open entry at `file` (undefined when there is none), leased: its handle stays open until
   * `release()`, even if the entry is forgotten meanwhile.
   */
  async get(
    file: string,
    where: NpyContext,
  ): Promise<{ handle: FileHandle; header: NpyHeader; release(): void } | undefined> {
    this.#touch();
    let entry = this.#entries.get(file);
    if (entry) {
      // Most recently used last.
      this.#entries.delete(file);
      this.#entries.set(file, entry);
    } else {
      entry = openEntry(file, where);
      this.#entries.set(file, entry);
      entry.then(
        (e) => {
          if (!e) this.#entries.delete(file);
        },
        () => this.#entries.delete(file),
      );
      while (this.#entries.size > this.#capacity) {
        const [oldest] = this.#entries.keys();
        void this.forget(oldest!);
      }
    }
    const opened = await entry;
    if (!opened) return undefined;
    opened.users++;
    return {
      handle: opened.handle,
      header: opened.header,
      release: () => {
        opened.users--;
        if (opened.closing && opened.users === 0) void opened.handle.close().catch(() => {});
      },
    };
  }

  /** Closes and forgets `file` (after an error, a rewrite or a delete). */
  async forget(file: string): Promise<void> {
    const entry = this.#entries.get(file);
    if (!entry) return;
    this.#entries.delete(file);
    const opened = await entry.catch(() => undefined);
    if (!opened) return;
    opened.closing = true;
    if (opened.users === 0) await opened.handle.close().catch(() => {});
  }

  async closeAll(): Promise<void> {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = undefined;
    await Promise.all([...this.#entries.keys()].map((file) => this.forget(file)));
  }

  /** Restarts the idle timer (unref'd: it never keeps a process alive). */
  #touch(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = setTimeout(() => void this.closeAll(), this.#idleMs);
    this.#idle.unref?.();
  }
}

async function openEntry(file: string, where: NpyContext): Promise<OpenEntry | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT' || errno === 'ENOTDIR') return undefined;
    throw error;
  }
  try {
    const info = await handle.stat();
    const head = new Uint8Array(Math.min(HEADER_BYTES, info.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const header = readNpyHeader(head.subarray(0, bytesRead), where);
    if (info.size !== header.byteLength) throw npySizeMismatch(header, info.size, where);
    return { handle, header, users: 0, closing: false };
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

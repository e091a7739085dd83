import { SpgShardError } from '../errors/spg-shard-error';
import { TAR_BLOCK, TAR_FIELDS, tarChecksum, tarPadding } from './tar-format';

/** One regular file of an archive. */
export interface TarMember {
  /** Full member name (ustar prefix joined with "/"; a pax `path` record wins). */
  name: string;
  /** Byte offset of the member's header in the archive. */
  offset: number;
  size: number;
  /**
   * The member's bytes: the target `want` gave, or a new array when it said `true`; undefined when
   * it said `false` (the bytes were skipped).
   */
  data: Uint8Array | undefined;
}

interface Pending {
  name: string;
  offset: number;
  size: number;
  /** Data and padding bytes still to consume. */
  remaining: number;
  data: Uint8Array | undefined;
  filled: number;
  /** pax extended header (x), GNU long name (L) or a skipped non-file member: not returned. */
  kind: 'file' | 'pax' | 'longname' | 'skip';
}

const decoder = new TextDecoder();

/**
 * A push parser of POSIX ustar archives that validates as it goes: every header's checksum and
 * magic, octal fields, the two zero blocks that end the archive, and that the input does not stop
 * early. Feed it chunks (`push`), say when the input ends (`finish`), and pull members (`next`).
 * Problems throw `SpgShardError` (`SPG_SHARD_CORRUPT` / `SPG_SHARD_TRUNCATED`) naming `url` and the
 * byte offset. Regular files, directories (skipped), pax extended headers (`path`, `size`) and GNU long
 * names are understood; other member types (links, devices) are reported as corrupt.
 */
/** What to do with a member's bytes; see `TarParser.next`. */
export type TarWant = (name: string, size: number) => boolean | Uint8Array;

export class TarParser {
  readonly url: string;
  #chunks: Uint8Array[] = [];
  /** Read position in #chunks[0]. */
  #head = 0;
  #available = 0;
  /** Archive bytes consumed so far. */
  #offset = 0;
  #finished = false;
  #ended = false;
  #pending: Pending | undefined;
  #pax: Record<string, string> | undefined;
  readonly #header = new Uint8Array(TAR_BLOCK);

  constructor(url: string) {
    this.url = url;
  }

  /** Archive bytes consumed so far (the offset of the next header once a member is returned). */
  get offset(): number {
    return this.#offset;
  }

  /** True once the end-of-archive marker was read. */
  get ended(): boolean {
    return this.#ended;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.#ended) return;
    this.#chunks.push(chunk);
    this.#available += chunk.length;
  }

  /** The input has ended: a member or the end marker cut short is now an error. */
  finish(): void {
    this.#finished = true;
  }

  /**
   * The next regular file, `null` at the end of the archive, or `undefined` when more input is
   * needed. `want(name, size)` decides what happens to its bytes: `false` skips them, `true` copies
   * them into a new array, a `Uint8Array` of exactly `size` bytes receives them. When it returns
   * `undefined`, the parser holds no reference to the chunks pushed so far (it copies the few bytes
   * of a partial header), so a source may refill their memory.
   */
  next(want: TarWant): TarMember | null | undefined {
    for (;;) {
      if (this.#ended) return null;
      if (this.#pending) {
        const done = this.#consumePending();
        if (!done) return this.#needMore('member data');
        const p = this.#pending;
        this.#pending = undefined;
        if (p.kind === 'file') return { name: p.name, offset: p.offset, size: p.size, data: p.data };
        if (p.kind === 'pax') this.#pax = { ...this.#pax, ...parsePax(p.data!, this.url, p.offset) };
        if (p.kind === 'longname')
          this.#pax = { ...this.#pax, path: decoder.decode(p.data!).replace(/\0.*$/s, '') };
        continue;
      }
      if (this.#available < TAR_BLOCK) return this.#needMore('header');
      const offset = this.#offset;
      this.#peek(this.#header);
      if (isZero(this.#header)) {
        // The end marker is two zero blocks.
        if (this.#available < 2 * TAR_BLOCK) {
          if (!this.#finished) return this.#compact();
          throw this.#truncated(offset, 'the end-of-archive marker is cut short (one zero block of two)');
        }
        this.#skip(TAR_BLOCK);
        this.#peek(this.#header);
        if (!isZero(this.#header))
          throw this.#corrupt(offset, 'a zero block followed by data (expected two zero blocks at the end)');
        this.#skip(TAR_BLOCK);
        this.#ended = true;
        this.#chunks = [];
        this.#head = 0;
        this.#available = 0;
        return null;
      }
      this.#skip(TAR_BLOCK);
      this.#pending = this.#parseHeader(this.#header, offset, want);
    }
  }

  #needMore(what: string): undefined {
    if (!this.#finished) return this.#compact();
    throw this.#truncated(
      this.#offset,
      `the input ends inside a ${what}${this.#pending ? ` of member "${this.#pending.name}" (header at byte ${this.#pending.offset})` : ''}; the archive's end marker never came`,
    );
  }

  /** Keeps only a copy of the bytes not consumed yet (less than two blocks), dropping the chunks. */
  #compact(): undefined {
    if (this.#available === 0) {
      this.#chunks = [];
      this.#head = 0;
      return undefined;
    }
    const rest = new Uint8Array(this.#available);
    this.#peek(rest);
    this.#chunks = [rest];
    this.#head = 0;
    return undefined;
  }

  #parseHeader(h: Uint8Array, offset: number, want: TarWant): Pending {
    const stored = octal(h, 'checksum');
    const unsigned = tarChecksum(h);
    if (stored === undefined || (stored !== unsigned && stored !== signedChecksum(h)))
      throw this.#corrupt(
        offset,
        `header checksum ${stored === undefined ? 'unreadable' : stored} does not match the header (sum ${unsigned})`,
      );
    const magic = text(h, 'magic');
    const version = text(h, 'version');
    const posix = magic === 'ustar' && version === '00';
    const gnu = magic === 'ustar ' && version === ' ';
    if (!posix && !gnu) throw this.#corrupt(offset, `header magic "${magic}" is not ustar`);
    const headerSize = octal(h, 'size');
    if (headerSize === undefined) throw this.#corrupt(offset, 'header size field is not octal');
    const pax = this.#pax;
    this.#pax = undefined;
    const prefix = text(h, 'prefix');
    const baseName = text(h, 'name');
    const name = pax?.path ?? (prefix ? `${prefix}/${baseName}` : baseName);
    let size = headerSize;
    if (pax?.size !== undefined) {
      size = Number(pax.size);
      if (!Number.isSafeInteger(size) || size < 0)
        throw this.#corrupt(offset, `pax size "${pax.size}" is not a whole number`);
    }
    const type = String.fromCharCode(h[TAR_FIELDS.typeflag[0]]!);
    let kind: Pending['kind'];
    if (type === '0' || type === '\0') kind = 'file';
    else if (type === 'x') kind = 'pax';
    else if (type === 'L') kind = 'longname';
    else if (type === '5' || type === 'g') kind = 'skip';
    else
      throw this.#corrupt(
        offset,
        `member "${name}" has type "${type}"; only regular files, directories and pax headers are read`,
      );
    const keep = kind === 'pax' || kind === 'longname' || (kind === 'file' && want(name, size));
    return {
      name,
      offset,
      size,
      remaining: size + tarPadding(size),
      data:
        keep instanceof Uint8Array && keep.length === size ? keep : keep ? new Uint8Array(size) : undefined,
      filled: 0,
      kind,
    };
  }

  /** Consumes what is available of the pending member; true when all of it is in. */
  #consumePending(): boolean {
    const p = this.#pending!;
    while (p.remaining > 0 && this.#available > 0) {
      const chunk = this.#chunks[0]!;
      const n = Math.min(p.remaining, chunk.length - this.#head);
      if (p.data && p.filled < p.size) {
        const copy = Math.min(n, p.size - p.filled);
        p.data.set(chunk.subarray(this.#head, this.#head + copy), p.filled);
        p.filled += copy;
      }
      this.#advance(n);
      p.remaining -= n;
    }
    return p.remaining === 0;
  }

  #advance(n: number): void {
    this.#head += n;
    this.#available -= n;
    this.#offset += n;
    if (this.#head === this.#chunks[0]!.length) {
      this.#chunks.shift();
      this.#head = 0;
    }
  }

  /** Copies the next `target.length` bytes (all available) into `target` without consuming them. */
  #peek(target: Uint8Array): void {
    let filled = 0;
    let c = 0;
    let head = this.#head;
    while (filled < target.length) {
      const chunk = this.#chunks[c]!;
      const n = Math.min(target.length - filled, chunk.length - head);
      target.set(chunk.subarray(head, head + n), filled);
      filled += n;
      c++;
      head = 0;
    }
  }

  /** Consumes `n` available bytes. */
  #skip(n: number): void {
    while (n > 0) {
      const step = Math.min(n, this.#chunks[0]!.length - this.#head);
      this.#advance(step);
      n -= step;
    }
  }

  #corrupt(offset: number, problem: string): SpgShardError {
    return new SpgShardError(
      'SPG_SHARD_CORRUPT',
      `Shard ${this.url} is corrupt at byte ${offset}: ${problem}. Export the shard again (or restore it from a copy).`,
      { url: this.url, offset },
    );
  }

  #truncated(offset: number, problem: string): SpgShardError {
    return new SpgShardError(
      'SPG_SHARD_TRUNCATED',
      `Shard ${this.url} is truncated at byte ${offset}: ${problem}. Export or copy the shard again.`,
      { url: this.url, offset },
    );
  }
}

function isZero(block: Uint8Array): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

function text(h: Uint8Array, field: keyof typeof TAR_FIELDS): string {
  const [at, width] = TAR_FIELDS[field];
  let end = at;
  let ascii = true;
  while (end < at + width && h[end] !== 0) {
    if (h[end]! > 0x7f) ascii = false;
    end++;
  }
  if (!ascii) return decoder.decode(h.subarray(at, end));
  let out = '';
  for (let i = at; i < end; i++) out += String.fromCharCode(h[i]!);
  return out;
}

/** An octal field (leading spaces, then digits, then NUL/space), or undefined if it is not one. */
function octal(h: Uint8Array, field: keyof typeof TAR_FIELDS): number | undefined {
  const [at, width] = TAR_FIELDS[field];
  if (h[at]! & 0x80) return undefined; // base-256 (GNU large numbers): never written by the exporter
  let i = at;
  const end = at + width;
  while (i < end && h[i] === 0x20) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = h[i]!;
    if (c < 0x30 || c > 0x37) break;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  for (; i < end; i++) if (h[i] !== 0 && h[i] !== 0x20) return undefined;
  return digits > 0 ? value : undefined;
}

function signedChecksum(h: Uint8Array): number {
  const [at, width] = TAR_FIELDS.checksum;
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= at && i < at + width ? 0x20 : (h[i]! << 24) >> 24;
  return sum;
}

/** pax records: "<length> <key>=<value>\n", length counting the whole record in bytes. */
function parsePax(data: Uint8Array, url: string, offset: number): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    let space = at;
    while (space < data.length && data[space] !== 0x20) space++;
    const length = Number(decoder.decode(data.subarray(at, space)));
    if (!Number.isSafeInteger(length) || length <= space - at || at + length > data.length)
      throw new SpgShardError(
        'SPG_SHARD_CORRUPT',
        `Shard ${url} is corrupt at byte ${offset}: a pax extended header record is malformed.`,
        { url, offset },
      );
    const record = decoder.decode(data.subarray(space + 1, at + length - 1));
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return out;
}

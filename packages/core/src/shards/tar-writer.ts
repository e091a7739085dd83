import { TAR_BLOCK, TAR_FIELDS, TAR_MAX_SIZE, tarChecksum, tarPadding } from './tar-format';

function writeText(header: Uint8Array, field: keyof typeof TAR_FIELDS, text: string): void {
  const [at, width] = TAR_FIELDS[field];
  for (let i = 0; i < text.length && i < width; i++) header[at + i] = text.charCodeAt(i);
}

function writeOctal(header: Uint8Array, field: keyof typeof TAR_FIELDS, value: number): void {
  const [, width] = TAR_FIELDS[field];
  // width - 1 digits, then NUL (the classic layout; every tar reader accepts it).
  writeText(header, field, value.toString(8).padStart(width - 1, '0'));
}

/**
 * The 512-byte ustar header of a regular file `name` of `size` bytes: mode 0644, owner 0/0, mtime 0
 * (fixed, so the same samples always give the same shard bytes and the same sha256). `name` must be
 * ASCII without "/" and at most 100 characters (shard member names are `<key>.<field>`).
 */
export function tarHeader(name: string, size: number): Uint8Array {
  if (!/^[\x21-\x7e]{1,100}$/.test(name) || name.includes('/'))
    throw new RangeError(
      `tar member name "${name}" must be 1-100 printable ASCII characters without "/" or spaces`,
    );
  if (!Number.isSafeInteger(size) || size < 0 || size > TAR_MAX_SIZE)
    throw new RangeError(`tar member ${name}: size ${size} must be a whole number in [0, ${TAR_MAX_SIZE}]`);
  const header = new Uint8Array(TAR_BLOCK);
  writeText(header, 'name', name);
  writeOctal(header, 'mode', 0o644);
  writeOctal(header, 'uid', 0);
  writeOctal(header, 'gid', 0);
  writeOctal(header, 'size', size);
  writeOctal(header, 'mtime', 0);
  writeText(header, 'typeflag', '0');
  writeText(header, 'magic', 'ustar\0');
  writeText(header, 'version', '00');
  // Checksum: six octal digits, NUL, space (as GNU and BSD tar write it).
  const [at] = TAR_FIELDS.checksum;
  const digits = tarChecksum(header).toString(8).padStart(6, '0');
  for (let i = 0; i < 6; i++) header[at + i] = digits.charCodeAt(i);
  header[at + 6] = 0;
  header[at + 7] = 0x20;
  return header;
}

/** Bytes one member of `size` bytes takes in an archive (header, data, padding). */
export function tarMemberLength(size: number): number {
  return TAR_BLOCK + size + tarPadding(size);
}

/** One archive member: header, data and zero padding, in one array. */
export function tarMember(name: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(tarMemberLength(data.length));
  out.set(tarHeader(name, data.length), 0);
  out.set(data, TAR_BLOCK);
  return out;
}

/** The end-of-archive marker: two zero blocks. */
export function tarEnd(): Uint8Array {
  return new Uint8Array(2 * TAR_BLOCK);
}

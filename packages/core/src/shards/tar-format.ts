// POSIX ustar (IEEE Std 1003.1-1988 "ustar" interchange format): 512-byte blocks; each member is
// a header block followed by its data padded with zeros to a whole block; the archive ends with
// two zero blocks. Header fields are NUL-terminated ASCII, numbers in octal.

/** Bytes per tar block. */
export const TAR_BLOCK = 512;

/** Header field offsets and widths (ustar). */
export const TAR_FIELDS = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  checksum: [148, 8],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  prefix: [345, 155],
} as const satisfies Record<string, readonly [number, number]>;

/** Largest member size an 11-digit octal size field holds (8 GiB - 1). */
export const TAR_MAX_SIZE = 0o77777777777;

/** Zero bytes that pad `size` bytes of data to a whole block. */
export function tarPadding(size: number): number {
  return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
}

/** Sum of the header's bytes with the checksum field read as eight spaces (what tar stores). */
export function tarChecksum(header: Uint8Array): number {
  const [at, width] = TAR_FIELDS.checksum;
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= at && i < at + width ? 0x20 : header[i]!;
  return sum;
}

import type { ByteInput, ByteRange } from '../contracts/audio-decoder';

/** Bytes searched after each wanted cut for a frame that starts there (frames are far shorter). */
const SEARCH_BYTES = 1 << 16;

const CRC8 = Uint8Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  return c;
});

const CRC16 = Uint16Array.from({ length: 256 }, (_, i) => {
  let c = i << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x8005 : c << 1;
  return c & 0xffff;
});

/** A FLAC frame header at `p`: its coded frame (or sample) number and block size; undefined if none. */
function frameHeader(b: Uint8Array, p: number): { number: number; samples: number } | undefined {
  if (p + 5 > b.length || b[p] !== 0xff || (b[p + 1]! & 0xfe) !== 0xf8) return undefined;
  const bs = b[p + 2]! >> 4;
  const sr = b[p + 2]! & 15;
  if (!bs || sr === 15 || b[p + 3]! >> 4 > 10 || b[p + 3]! & 1) return undefined;
  // The frame/sample number, UTF-8-like coded (up to 36 bits).
  const first = b[p + 4]!;
  const extra =
    first < 0x80
      ? 0
      : first < 0xc0
        ? -1
        : first < 0xe0
          ? 1
          : first < 0xf0
            ? 2
            : first < 0xf8
              ? 3
              : first < 0xfc
                ? 4
                : first < 0xfe
                  ? 5
                  : first === 0xfe
                    ? 6
                    : -1;
  if (extra < 0) return undefined;
  let number = extra === 0 ? first : first & (0x3f >> extra);
  let q = p + 5;
  for (let i = 0; i < extra; i++, q++) {
    if (q >= b.length || (b[q]! & 0xc0) !== 0x80) return undefined;
    number = number * 64 + (b[q]! & 0x3f);
  }
  const sizeAt = q;
  q += (bs === 6 ? 1 : bs === 7 ? 2 : 0) + (sr === 12 ? 1 : sr === 13 || sr === 14 ? 2 : 0);
  if (q >= b.length) return undefined;
  let crc = 0;
  for (let i = p; i < q; i++) crc = CRC8[crc ^ b[i]!]!;
  if (crc !== b[q]) return undefined;
  const samples =
    bs === 1
      ? 192
      : bs <= 5
        ? 576 << (bs - 2)
        : bs === 6
          ? b[sizeAt]! + 1
          : bs === 7
            ? ((b[sizeAt]! << 8) | b[sizeAt + 1]!) + 1
            : 256 << (bs - 8);
  return { number, samples };
}

/**
 * Whether a FLAC frame starts at `p` of `b`: a valid header (CRC-8), then bytes up to the next valid
 * header whose CRC-16 is 0 (the frame's own checksum), and that next header numbered right after it
 * (frame number + 1, or sample number + block size for variable block sizes). This is where the FLAC
 * package's own frame splitter cuts too (a valid header where the running CRC-16 is 0).
 */
function frameStartsAt(b: Uint8Array, p: number): boolean {
  const header = frameHeader(b, p);
  if (!header) return false;
  const variable = (b[p + 1]! & 1) === 1;
  let crc = 0;
  for (let s = p; s < b.length; s++) {
    if (s > p + 3 && crc === 0 && b[s] === 0xff && (b[s + 1]! & 0xfe) === 0xf8) {
      const next = frameHeader(b, s);
      if (next) return next.number === header.number + (variable ? header.samples : 1);
    }
    crc = CRC16[(crc >> 8) ^ b[s]!]! ^ ((crc << 8) & 0xffff);
  }
  return false;
}

/**
 * Byte ranges of about `bytes` each that cut a native FLAC stream between frames (FLAC frames decode
 * independently): for every multiple of `bytes`, the first verified frame start at or after it.
 * `audioStart` is where the first frame may start (after the metadata blocks). Undefined when the
 * stream is too short to cut or no frame start was found.
 */
export async function flacFrameCuts(
  input: ByteInput,
  audioStart: number,
  bytes: number,
): Promise<ByteRange[] | undefined> {
  const cuts: number[] = [0];
  for (let want = Math.max(bytes, audioStart + 1); want + bytes / 2 < input.size; want += bytes) {
    if (want <= cuts.at(-1)!) continue;
    // A copy: the input's bytes are borrowed until its next read.
    const window = (await input.read(want, Math.min(SEARCH_BYTES, input.size - want))).slice();
    for (let i = 0; i + 1 < window.length; i++) {
      if (window[i] === 0xff && frameStartsAt(window, i)) {
        cuts.push(want + i);
        break;
      }
    }
  }
  if (cuts.length < 2) return undefined;
  return cuts.map((start, i) => ({ start, end: cuts[i + 1] ?? input.size }));
}

/** Where the audio frames of a native FLAC stream begin: after 'fLaC' and its metadata blocks. */
export function flacAudioStart(head: Uint8Array, at: number): number | undefined {
  let o = at + 4;
  for (;;) {
    if (o + 4 > head.length) return undefined;
    const last = head[o]! & 0x80;
    o += 4 + ((head[o + 1]! << 16) | (head[o + 2]! << 8) | head[o + 3]!);
    if (last) return o;
  }
}

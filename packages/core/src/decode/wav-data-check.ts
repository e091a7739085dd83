function ascii4(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/**
 * Why a RIFF/WAVE file is incomplete, or `undefined` when its `data` chunk is all there. The
 * decoder underneath silently returns the samples that happen to be present, so a truncated copy
 * would otherwise pass for a shorter recording. Streaming writers' placeholder sizes (0 and
 * 0xFFFFFFFF) and RF64 (sizes live in `ds64`) are not judged.
 */
export function wavTruncation(bytes: Uint8Array): string | undefined {
  if (ascii4(bytes, 0) !== 'RIFF' || bytes.length < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii4(bytes, at);
    const size = view.getUint32(at + 4, true);
    if (id === 'data') {
      if (size === 0 || size === 0xffffffff) return undefined;
      const present = bytes.length - (at + 8);
      return present < size
        ? `its data chunk declares ${size} bytes but only ${present} are present (truncated file?)`
        : undefined;
    }
    at += 8 + size + (size & 1);
  }
  return 'it has no data chunk (truncated or not a WAV file)';
}

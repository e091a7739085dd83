let ulaw: Float32Array | undefined;
let alaw: Float32Array | undefined;

/**
 * G.711 mu-law byte -> sample, as libsndfile and ffmpeg expand it: to 16-bit (+-32124) then / 32768.
 */
export function ulawTable(): Float32Array {
  if (ulaw) return ulaw;
  ulaw = new Float32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    const u = ~byte & 0xff;
    const magnitude = (((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 7);
    ulaw[byte] = (u & 0x80 ? 0x84 - magnitude : magnitude - 0x84) / 32768;
  }
  return ulaw;
}

/** G.711 A-law byte -> sample: expanded to 16-bit (+-32256) then / 32768. */
export function alawTable(): Float32Array {
  if (alaw) return alaw;
  alaw = new Float32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    const a = byte ^ 0x55;
    const exponent = (a >> 4) & 7;
    const mantissa = ((a & 0x0f) << 4) + 8;
    const magnitude = exponent === 0 ? mantissa : (mantissa + 0x100) << (exponent - 1);
    alaw[byte] = (a & 0x80 ? magnitude : -magnitude) / 32768;
  }
  return alaw;
}

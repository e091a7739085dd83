/**
 * Averages channels into a buffer reused from block to block, with `downmix()`'s float32 arithmetic
 * (0 + channel 0, + each next channel, then x (1 / channels)), so blocks mixed here equal `downmix()`
 * of the whole channels bit for bit. One channel is returned as is.
 */
export class MonoMixer {
  #out = new Float32Array(0);

  /** The mean of `channels` (cut to the shortest); valid until the next call. */
  mix(channels: readonly Float32Array[]): Float32Array {
    if (channels.length === 1) return channels[0]!;
    let n = Number.POSITIVE_INFINITY;
    for (const channel of channels) n = Math.min(n, channel.length);
    if (!Number.isFinite(n)) n = 0;
    if (this.#out.length < n) this.#out = new Float32Array(Math.max(n, Math.ceil(this.#out.length * 1.5)));
    const out = this.#out.subarray(0, n);
    out.fill(0);
    for (const channel of channels) for (let i = 0; i < n; i++) out[i]! += channel[i]!;
    const scale = 1 / channels.length;
    for (let i = 0; i < n; i++) out[i]! *= scale;
    return out;
  }
}

/**
 * Mono = mean of the channels, sample by sample (docs/behaviour.md#spectrogram). One channel is returned as is (not
 * copied); channels of unequal length are cut to the shortest.
 */
export function downmix(channelData: readonly Float32Array[]): Float32Array {
  if (channelData.length === 0) return new Float32Array(0);
  if (channelData.length === 1) return channelData[0]!;
  let n = Number.POSITIVE_INFINITY;
  for (const channel of channelData) n = Math.min(n, channel.length);
  const out = new Float32Array(n);
  for (const channel of channelData) for (let i = 0; i < n; i++) out[i]! += channel[i]!;
  const scale = 1 / channelData.length;
  for (let i = 0; i < n; i++) out[i]! *= scale;
  return out;
}

import type { DecodedAudio } from '../contracts/audio-decoder';
import type { AudioFormat } from './detect-audio-format';

/** What an `@audio/decode-*` package's `decoder()` returns (some methods are sync, some async). */
export interface CodecResult {
  channelData: Float32Array[];
  sampleRate: number;
  samplesDecoded?: number;
}
export interface CodecInstance {
  decode(bytes: Uint8Array): CodecResult | Promise<CodecResult>;
  flush?(): CodecResult | Promise<CodecResult>;
  free?(): void;
}
export interface CodecModule {
  decoder(): CodecInstance | Promise<CodecInstance>;
}

/** Codecs other than our own PCM path; `wav-compressed` is MS/IMA ADPCM in WAV. */
export type CodecName = Exclude<AudioFormat, 'aiff' | 'wav'> | 'wav-compressed';

/**
 * Each format's `@audio/decode-*` package, imported on first use (WASM codecs, browser-safe). Only
 * these are imported, by name, so bundlers see no optional package. `upmixesMono` marks codecs that upmix
 * mono sources to two identical channels (mpg123, the AAC decoder), collapsed back here.
 */
export const CODECS: Record<CodecName, { load: () => Promise<unknown>; upmixesMono: boolean }> = {
  mp3: { load: () => import('@audio/decode-mp3'), upmixesMono: true },
  flac: { load: () => import('@audio/decode-flac'), upmixesMono: false },
  ogg: { load: () => import('@audio/decode-vorbis'), upmixesMono: false },
  opus: { load: () => import('@audio/decode-opus'), upmixesMono: false },
  m4a: { load: () => import('@audio/decode-mp4'), upmixesMono: true },
  aac: { load: () => import('@audio/decode-aac'), upmixesMono: true },
  caf: { load: () => import('@audio/decode-caf'), upmixesMono: false },
  qoa: { load: () => import('@audio/decode-qoa'), upmixesMono: false },
  webm: { load: () => import('@audio/decode-webm'), upmixesMono: false },
  'wav-compressed': { load: () => import('@audio/decode-wav'), upmixesMono: false },
};

function identical(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One decode call's output, cut to `samplesDecoded`; `undefined` when it holds no samples. */
export function samplesOf(result: CodecResult | undefined): CodecResult | undefined {
  if (!result?.channelData?.length) return undefined;
  let { channelData } = result;
  const n = result.samplesDecoded;
  if (n !== undefined && n < channelData[0]!.length) channelData = channelData.map((c) => c.subarray(0, n));
  return channelData[0]!.length ? { channelData, sampleRate: result.sampleRate } : undefined;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Decodes a whole file with `codec`'s package: decode, flush what the codec holds back, free.
 * Returns `{ channelData: [], sampleRate: 0 }` when nothing decodes; codec errors propagate.
 */
export async function decodeWithCodec(codec: CodecName, bytes: Uint8Array): Promise<DecodedAudio> {
  const { load, upmixesMono } = CODECS[codec];
  const instance = await ((await load()) as CodecModule).decoder();
  let head: CodecResult | undefined;
  let tail: CodecResult | undefined;
  try {
    head = samplesOf(await instance.decode(bytes));
    tail = samplesOf(instance.flush ? await instance.flush() : undefined);
  } finally {
    instance.free?.();
  }
  let channels =
    head && tail
      ? head.channelData.map((c, i) => concat(c, tail!.channelData[i] ?? tail!.channelData[0]!))
      : (head ?? tail)?.channelData;
  if (!channels) return { channelData: [], sampleRate: 0 };
  if (upmixesMono && channels.length === 2 && identical(channels[0]!, channels[1]!))
    channels = [channels[0]!];
  return { channelData: channels, sampleRate: (head ?? tail)!.sampleRate };
}

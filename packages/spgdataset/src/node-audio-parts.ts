import {
  type AudioDecoder,
  type AudioSource,
  audioDecodeDecoder,
  type IndexStore,
  type Resampler,
  sincResampler,
} from '@spgdataset/core';
import { fileIndexStore, fsSource } from '@spgdataset/core/node';

/** The Node defaults around the extractor and cache: files under `audioRoot`, index under `indexRoot`. */
export function nodeAudioParts(
  audioRoot: string,
  indexRoot: string,
): { source: AudioSource; decoder: AudioDecoder; resampler: Resampler; indexStore: IndexStore } {
  return {
    source: fsSource(audioRoot),
    decoder: audioDecodeDecoder(),
    resampler: sincResampler(),
    indexStore: fileIndexStore(indexRoot),
  };
}

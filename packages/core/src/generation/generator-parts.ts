import type { AudioDecoder } from '../contracts/audio-decoder';
import type { AudioSource } from '../contracts/audio-source';
import type { FeatureExtractor } from '../contracts/feature-extractor';
import type { Resampler } from '../contracts/resampler';
import type { PieceHelper } from './piece-blocks';

/** What turning a file into a waveform or a spectrogram needs (all of it can be rebuilt in a worker). */
export interface GeneratorParts {
  source: AudioSource;
  decoder: AudioDecoder;
  resampler: Resampler;
  extractor: FeatureExtractor;
  sampleRate: number;
  windowSize: number;
  windowOffset: number;
  dtype: 'float32' | 'float16';
  /**
   * How finely a file is cut on its way through the pipeline (default: reads of 1 MiB, samples as
   * the decoder and resampler give them). Tests cut it finely to check the result does not depend
   * on the cut.
   */
  chunks?: StreamChunks;
}

/** Chunk sizes of the streaming pipeline (see `GeneratorParts.chunks`). */
export interface StreamChunks {
  /** Bytes per read of the audio file (also forces ranged reads for short files). */
  bytes?: number;
  /** Most samples handed to the resampler and the extractor at a time. */
  samples?: number;
  /** Bytes per piece of a file decoded by several threads at once (see `GenerationJob.helpers`). */
  pieces?: number;
  /** Frames per piece of a long PCM file whose frames several threads compute at once. */
  framePieces?: number;
}

/** The file to generate: its path and indexed length in samples (0 when not known yet). */
export interface GenerationJob {
  path: string;
  length: number;
  /** The file's size in bytes, when known (decides whether it is read whole or in ranges). */
  size?: number;
  /**
   * Other threads free to decode pieces of this file at the same time (a long file read in ranges,
   * whose decoder can cut it: `AudioDecoder.pieces`); the result is the same without them.
   */
  helpers?: readonly PieceHelper[];
}

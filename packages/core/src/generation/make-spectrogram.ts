import type { Tensor } from '../contracts/tensor';
import { lengthMismatch } from '../dataset/length-mismatch';
import {
  type GenerationJob,
  type GeneratorParts,
  loadWaveform,
  spectrogramOfWaveform,
} from '../dataset/spectrogram-generator';
import { paddedLength } from '../dataset/windows';
import { SpgConfigError } from '../errors/spg-config-error';
import { extractorFrameCount } from '../extractor/extractor-frame-count';
import type { GenerationPipeline } from './generation-pipeline';

/** A file's spectrogram at storage precision, and what is worth a warning about it. */
export interface MadeSpectrogram {
  tensor: Tensor;
  warnings: string[];
  /** Samples of the decoded, resampled audio (its length, for a job whose length was not known). */
  samples: number;
}

/**
 * The per-file algorithm, the same in this thread and in every worker: decode, mono, resample,
 * pad to the window grid, extract; then check the result is `[rows, frames]` (else the extractor
 * is broken: `SpgConfigError`) and compare the audio with its indexed length (warnings). With a
 * `pipeline` the file is read ahead and every array is borrowed from its buffers (see
 * `GenerationPipeline`): the tensor stays valid until the pipeline's `store` after next.
 */
export async function makeSpectrogram(
  parts: GeneratorParts,
  job: GenerationJob,
  pipeline?: GenerationPipeline,
): Promise<MadeSpectrogram> {
  const warnings: string[] = [];
  const waveform = await loadWaveform(parts, job.path, pipeline, job.length);
  if (waveform.length < job.length) {
    const mismatch = lengthMismatch(job.path, job.length, waveform.length, parts.windowOffset);
    if (mismatch) warnings.push(mismatch);
  }
  const tensor = await spectrogramOfWaveform(parts, job, waveform, pipeline);
  const { extractor } = parts;
  const rows = extractor.features.rows;
  if (tensor.shape.length !== 2 || tensor.shape[0] !== rows) {
    throw new SpgConfigError([
      {
        path: 'extractor',
        message: `${extractor.id} returned shape [${tensor.shape.join(', ')}] for "${job.path}"; expected [rows = ${rows}, frames]`,
      },
    ]);
  }
  // The grid is padded to the longer of the two lengths, so more frames mean longer audio.
  const gridFrames = extractorFrameCount(
    extractor,
    paddedLength(job.length, parts.windowSize, parts.windowOffset),
  );
  if (job.length > 0 && tensor.shape[1]! > gridFrames)
    warnings.push(
      `"${job.path}" decodes to more audio than its length ${job.length} in metadata.json (${tensor.shape[1]} frames, not ${gridFrames}); windows beyond that length are not indexed — fix or remove "length".`,
    );
  return { tensor, warnings, samples: waveform.length };
}

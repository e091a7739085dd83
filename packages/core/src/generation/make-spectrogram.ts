import type { Tensor } from '../contracts/tensor';
import type { GenerationPipeline } from './generation-pipeline';
import type { GenerationJob, GeneratorParts } from './generator-parts';
import { type MemoryEntryBuffers, MemoryEntryWriter } from './memory-entry-writer';
import { streamSpectrogram } from './stream-spectrogram';

/** A file's spectrogram at storage precision, and what is worth a warning about it. */
export interface MadeSpectrogram {
  tensor: Tensor;
  warnings: string[];
  /** Samples of the decoded, resampled audio (its length, for a job whose length was not known). */
  samples: number;
}

/** A memory writer's buffers taken from a pipeline (reused from file to file). */
export function pipelineEntryBuffers(pipeline: GenerationPipeline): MemoryEntryBuffers {
  return {
    frames: (values, keep) => pipeline.buffers.frames(values, keep),
    output: (values) => pipeline.buffers.features(values),
  };
}

/**
 * A file's whole spectrogram as a mel-major tensor: the per-file algorithm (`streamSpectrogram`, the
 * same in this thread and in every worker) collected in memory. With a `pipeline`, the file is read
 * ahead and every array is borrowed from its buffers: the tensor stays valid until the pipeline
 * hands the same feature buffer out again (two files later).
 */
export async function makeSpectrogram(
  parts: GeneratorParts,
  job: GenerationJob,
  pipeline?: GenerationPipeline,
): Promise<MadeSpectrogram> {
  let tensor: Tensor | undefined;
  const writer = new MemoryEntryWriter(
    parts.extractor.features.rows,
    (made) => {
      tensor = made;
    },
    pipeline ? pipelineEntryBuffers(pipeline) : undefined,
  );
  const { warnings, samples } = await streamSpectrogram(parts, job, writer, pipeline);
  await writer.commit();
  return { tensor: tensor!, warnings, samples };
}

// Worker-thread entry of `workerThreadsScheduler` (a tinypool worker module; built as its own file).
import type { GenerationPlan, GenerationTask, GenerationTaskResult } from '../contracts/generation-scheduler';
import { SpgError, type SpgErrorJson } from '../errors/spg-error';
import { runGenerationTask } from '../generation/run-generation-task';
import { partsFromPlan } from './plan-parts';

export interface GenerationWorkerInput {
  plan: GenerationPlan;
  task: GenerationTask;
  /** Where this thread looks up the plan's packages (the coordinator's, same machine). */
  anchors: string[];
  /** The plan's `modules` already resolved by the coordinator (same process, same files). */
  moduleUrls?: string[];
}

/** What a task answers when it fails: the error as JSON, so the scheduler rethrows the same class. */
export interface GenerationFailure {
  error: SpgErrorJson | { name: string; message: string };
}

export default async function generate(
  input: GenerationWorkerInput,
): Promise<GenerationTaskResult | GenerationFailure> {
  try {
    const { parts, cache, pipeline } = await partsFromPlan(input.plan, input.anchors, input.moduleUrls);
    return await runGenerationTask(parts, cache, input.plan.featureFingerprint, input.task, pipeline);
  } catch (error) {
    return {
      error: SpgError.isInstance(error)
        ? error.toJSON()
        : { name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) },
    };
  }
}

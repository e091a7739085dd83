// Worker-thread entry of `workerThreadsScheduler` (a tinypool worker module; built as its own file).
import type { MessagePort } from 'node:worker_threads';
import type { GenerationPlan, GenerationTask, GenerationTaskResult } from '../contracts/generation-scheduler';
import { SpgError, type SpgErrorJson } from '../errors/spg-error';
import { runGenerationTask } from '../generation/run-generation-task';
import { closePieceHelper, portPieceHelper, servePieces } from './piece-port';
import { decodingPartsFromPlan, partsFromPlan } from './plan-parts';

export interface GenerationWorkerInput {
  plan: GenerationPlan;
  task: GenerationTask;
  /** Channels to threads running a `PieceHelperInput` for this task (transferred with the input). */
  helpers?: MessagePort[];
  /** Per helper, the port to post to once it has pieces to decode (its job starts then). */
  helperWakes?: MessagePort[];
  /** Where this thread looks up the plan's packages (the coordinator's, same machine). */
  anchors: string[];
  /** The plan's `modules` already resolved by the coordinator (same process, same files). */
  moduleUrls?: string[];
}

/** A thread's job of decoding pieces of another thread's file, asked for on `port`, until it closes. */
export interface PieceHelperInput {
  plan: GenerationPlan;
  serve: MessagePort;
  anchors: string[];
  moduleUrls?: string[];
}

/** What a helper job answers: how many pieces it decoded or computed. */
export interface PieceHelperResult {
  served: number;
}

/** What a task answers when it fails: the error as JSON, so the scheduler rethrows the same class. */
export interface GenerationFailure {
  error: SpgErrorJson | { name: string; message: string };
}

export default async function generate(
  input: GenerationWorkerInput | PieceHelperInput,
): Promise<GenerationTaskResult | PieceHelperResult | GenerationFailure> {
  if ('serve' in input) {
    try {
      const { decoder, source, extractor } = await decodingPartsFromPlan(
        input.plan,
        input.anchors,
        input.moduleUrls,
      );
      return { served: await servePieces(input.serve, decoder, source, extractor) };
    } catch {
      // Without plugins here, the generating thread decodes every piece itself.
      input.serve.close();
      return { served: 0 };
    }
  }
  try {
    const { parts, cache, pipeline } = await partsFromPlan(input.plan, input.anchors, input.moduleUrls);
    const helpers = input.helpers?.map((port, i) => portPieceHelper(port, input.helperWakes?.[i]));
    const result = await runGenerationTask(
      parts,
      cache,
      input.plan.featureFingerprint,
      input.task,
      pipeline,
      helpers,
    );
    const helped = helpers?.reduce((n, helper) => n + helper.pieces, 0);
    return helped ? { ...result, helped } : result;
  } catch (error) {
    return {
      error: SpgError.isInstance(error)
        ? error.toJSON()
        : { name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) },
    };
  } finally {
    for (const port of input.helpers ?? []) closePieceHelper(port);
    for (const port of input.helperWakes ?? []) port.close();
  }
}

import type { AudioDecoder } from '../contracts/audio-decoder';
import type { AudioSource } from '../contracts/audio-source';
import type { FeatureExtractor } from '../contracts/feature-extractor';
import type { GenerationPlan } from '../contracts/generation-scheduler';
import type { SpectrogramCache } from '../contracts/spectrogram-cache';
import type { GeneratorParts } from '../dataset/spectrogram-generator';
import { SpgConfigError } from '../errors/spg-config-error';
import { featureFingerprintOf } from '../generation/feature-fingerprint';
import { GenerationPipeline } from '../generation/generation-pipeline';
import { createRegistry } from '../registry/create-registry';
import { loadPluginModules } from './plugin-modules';

/** The plugins of a plan, re-created in a worker, the cache it writes into and its reused buffers. */
export interface PlanParts {
  parts: GeneratorParts;
  cache: SpectrogramCache;
  /** This thread's buffers for the plan's files, reused from task to task. */
  pipeline: GenerationPipeline;
}

const made = new Map<string, Promise<PlanParts>>();

/**
 * The source and decoder of a plan, for a thread that works on pieces of another thread's file, and
 * its extractor made on first use (only pieces of frames need it; the resampler and cache would only
 * take memory there). Made anew for each call.
 */
export async function decodingPartsFromPlan(
  plan: GenerationPlan,
  anchors?: readonly string[],
  moduleUrls?: readonly string[],
): Promise<{ decoder: AudioDecoder; source: AudioSource; extractor: () => Promise<FeatureExtractor> }> {
  const registry = createRegistry(await loadPluginModules(plan.modules, anchors, moduleUrls));
  let extractor: Promise<FeatureExtractor> | undefined;
  return {
    decoder: await registry.create('decoder', plan.decoder),
    source: await registry.create('source', plan.source),
    // Made only for a file whose frames are computed in pieces.
    extractor: () => {
      extractor ??= registry.create('extractor', plan.extractor);
      return extractor;
    },
  };
}
/**
 * Plans whose plugins a thread keeps. A long-lived worker process serves build after build; beyond
 * this, the least recently used plan's plugins are disposed (a thread runs one task at a time, so none
 * of them is in use then).
 */
const KEPT_PLANS = 4;

function forgetOldest(): void {
  const [key, oldest] = made.entries().next().value!;
  made.delete(key);
  oldest.then(disposePlanParts, () => {});
}

/** Disposes the plugins of `planParts` (none of them may be in use). */
export async function disposePlanParts({ parts, cache }: PlanParts): Promise<void> {
  await Promise.allSettled(
    [parts.source, parts.decoder, parts.resampler, parts.extractor, cache].map(async (p) => p.dispose?.()),
  );
}

/**
 * Re-creates a plan's plugins through a registry of the definitions its modules export (once per
 * plan in this thread) and checks the extractor gives the plan's fingerprint, so a worker whose
 * installed packages differ from the coordinator's never writes entries under the wrong key.
 */
export function partsFromPlan(
  plan: GenerationPlan,
  anchors?: readonly string[],
  moduleUrls?: readonly string[],
): Promise<PlanParts> {
  const key = JSON.stringify(plan);
  let parts = made.get(key);
  if (parts) {
    // Most recently used last.
    made.delete(key);
    made.set(key, parts);
  } else {
    parts = makePlanParts(plan, anchors, moduleUrls);
    parts.catch(() => made.delete(key));
    made.set(key, parts);
    if (made.size > KEPT_PLANS) forgetOldest();
  }
  return parts;
}

/**
 * A plan's plugins made anew (not kept: `partsFromPlan` keeps them per thread), e.g. for one run in a
 * thread that outlives it; `disposePlanParts` them after.
 */
export async function makePlanParts(
  plan: GenerationPlan,
  anchors?: readonly string[],
  moduleUrls?: readonly string[],
): Promise<PlanParts> {
  const registry = createRegistry(await loadPluginModules(plan.modules, anchors, moduleUrls));
  const decoder = await registry.create('decoder', plan.decoder);
  const resampler = await registry.create('resampler', plan.resampler);
  const extractor = await registry.create('extractor', plan.extractor);
  const grid = { windowSize: plan.windowSize, windowOffset: plan.windowOffset, dtype: plan.dtype };
  const workerFingerprint = featureFingerprintOf({ decoder, resampler, extractor }, grid);
  if (workerFingerprint !== plan.featureFingerprint)
    throw new SpgConfigError([
      {
        path: 'extractor',
        message: `this worker's plugins give feature fingerprint ${workerFingerprint}, the dataset's is ${plan.featureFingerprint}: install the same versions of ${plan.modules.join(', ')} on every worker`,
      },
    ]);
  const generatorParts: GeneratorParts = {
    source: await registry.create('source', plan.source),
    decoder,
    resampler,
    extractor,
    sampleRate: plan.sampleRate,
    ...grid,
  };
  return {
    parts: generatorParts,
    cache: await registry.create('cache', plan.cache),
    pipeline: new GenerationPipeline(generatorParts),
  };
}

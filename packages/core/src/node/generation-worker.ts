// Worker-thread entry of the generation pool (a tinypool worker module; built as its own file).
import Tinypool from 'tinypool';
import type { PluginKind } from '../contracts/plugin';
import type { PluginByKind, PluginDefinition } from '../contracts/plugin-definition';
import type { Tensor } from '../contracts/tensor';
import {
  type GenerationJob,
  type GeneratorParts,
  generateSpectrogram,
} from '../dataset/spectrogram-generator';
import { SpgConfigError } from '../errors/spg-config-error';
import { SpgError, type SpgErrorJson } from '../errors/spg-error';
import type { GenerationWorkerConfig, WorkerPluginReference } from './generation-worker-config';

export interface GenerationTask {
  config: GenerationWorkerConfig;
  job: GenerationJob;
}

/** What a task answers when it fails: the error as JSON, so the pool rethrows the same class. */
export interface GenerationFailure {
  error: SpgErrorJson | { name: string; message: string };
}

async function createPlugin<K extends PluginKind>(
  kind: K,
  ref: WorkerPluginReference,
): Promise<PluginByKind[K]> {
  const where = `${kind} (${ref.export} from ${ref.module})`;
  const module = (await import(ref.module)) as Record<string, unknown>;
  // A CommonJS module (e.g. resolved through require.resolve) may expose its exports only as `default`.
  const commonJs = module.default as Record<string, unknown> | undefined;
  const definition = (module[ref.export] ?? commonJs?.[ref.export]) as PluginDefinition<K> | undefined;
  if (!definition || typeof definition.create !== 'function' || definition.kind !== kind) {
    throw new SpgConfigError([
      {
        path: `${kind}.export`,
        message: `${where} is not a ${kind} plugin definition; export one with kind '${kind}'`,
      },
    ]);
  }
  const checked = await definition.schema['~standard'].validate(ref.options);
  if (checked.issues) {
    throw new SpgConfigError(
      checked.issues.map((issue) => ({
        path: `${kind}.options`,
        message: `${definition.id}: ${issue.message}`,
      })),
    );
  }
  return definition.create(checked.value);
}

// One pool serves one dataset, so one config per worker; keyed anyway so a reused pool stays correct.
const partsByConfig = new Map<string, Promise<GeneratorParts>>();

function partsFor(config: GenerationWorkerConfig): Promise<GeneratorParts> {
  const key = JSON.stringify(config);
  let parts = partsByConfig.get(key);
  if (!parts) {
    parts = (async () => ({
      source: await createPlugin('source', config.source),
      decoder: await createPlugin('decoder', config.decoder),
      resampler: await createPlugin('resampler', config.resampler),
      extractor: await createPlugin('extractor', config.extractor),
      sampleRate: config.sampleRate,
      windowSize: config.windowSize,
      windowOffset: config.windowOffset,
      dtype: config.dtype,
    }))();
    parts.catch(() => partsByConfig.delete(key));
    partsByConfig.set(key, parts);
  }
  return parts;
}

/** Hands the tensor's buffer over to the main thread (no copy) when the tensor owns all of it. */
function moved(tensor: Tensor) {
  const { data } = tensor;
  const owns =
    data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  const value: Tensor = { data: owns ? data : data.slice(), shape: [...tensor.shape] };
  return Tinypool.move({
    [Tinypool.transferableSymbol]: value.data.buffer,
    [Tinypool.valueSymbol]: value,
  } as unknown as ArrayBuffer);
}

export default async function generate(task: GenerationTask): Promise<unknown> {
  try {
    return moved(await generateSpectrogram(await partsFor(task.config), task.job));
  } catch (error) {
    const failure: GenerationFailure = {
      error: SpgError.isInstance(error)
        ? error.toJSON()
        : { name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) },
    };
    return failure;
  }
}

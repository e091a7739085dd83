import * as v from 'valibot';
import { configIssuesFromValibot } from '../config/config-issues';
import { type DatasetConfig, datasetConfigSchema } from '../config/dataset-config-schema';
import type { Registry } from '../contracts/registry';
import { SpgConfigError } from '../errors/spg-config-error';
import { DatasetBuilder } from './dataset-builder';

export { DatasetBuilder };

/** `createDataset.fromConfig(json, registry)`: a builder from a JSON config (object or text). */
function fromConfig(json: DatasetConfig | string, registry: Registry): DatasetBuilder {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new SpgConfigError([
        { path: '', message: `the config is not valid JSON: ${(error as Error).message}` },
      ]);
    }
  }
  const parsed = v.safeParse(datasetConfigSchema, value);
  if (!parsed.success) throw new SpgConfigError(configIssuesFromValibot(parsed.issues));
  const c = structuredClone(value) as DatasetConfig;
  return new DatasetBuilder({
    registry,
    source: c.source,
    decoder: c.decoder,
    resampler: c.resampler,
    extractor: c.extractor,
    cache: c.cache,
    scheduler: c.scheduler,
    indexStore: c.indexStore,
    metadata: c.metadata,
    memory: c.memory,
    windows: c.windows,
    output: c.output,
    split: c.split,
    onError: c.onError,
    numWorkers: c.numWorkers,
  });
}

/**
 * Starts an empty dataset builder. Core picks no plugins: give source, decoder, resampler and
 * extractor (instances, or references resolved through `registry`).
 *
 * @example
 * const ds = await createDataset(registry)
 *   .source(fsSource('data/audio'))
 *   .decoder(audioDecodeDecoder())
 *   .resampler({ use: 'core/sinc' })
 *   .extractor({ use: 'dsp-js/log-mel', options: { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 } })
 *   .output({ masks: ['speech'] })
 *   .split([0.8, 0.1, 0.1])
 *   .build();
 */
export const createDataset: ((registry?: Registry) => DatasetBuilder) & { fromConfig: typeof fromConfig } =
  Object.assign((registry?: Registry) => new DatasetBuilder({ registry }), { fromConfig });

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fsCache } from '@spgdataset/cache-fs';
import {
  type ConfigIssue,
  consoleLogger,
  type DatasetParts,
  deriveSizes,
  type OutputConfiguration,
  parseOutputConfiguration,
  openDataset,
  type SpectrogramDataset,
  SpgConfigError,
} from '@spgdataset/core';
import { fileMetadata } from '@spgdataset/core/node';
import { nodeAudioParts } from './node-audio-parts';
import { nodeExtractor } from './node-extractor';
import { type OpenSpectrogramDatasetOptions, openDefaults } from './open-options';
import { generationPoolFor } from './worker-generation';

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function optionIssues(o: OpenSpectrogramDatasetOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const key of ['audioRoot', 'spectrogramsRoot', 'indexRoot'] as const) {
    if (typeof o[key] !== 'string' || o[key].length === 0)
      issues.push({ path: key, message: `is required: a folder path (got ${JSON.stringify(o[key])})` });
  }
  if (typeof o.audioRoot === 'string' && o.audioRoot.length > 0 && !isFolder(o.audioRoot))
    issues.push({
      path: 'audioRoot',
      message: `"${o.audioRoot}" (${resolve(o.audioRoot)}) does not exist or is not a folder; give the folder that holds the audio files`,
    });
  const m = o.metadataJsonPath;
  if (m !== undefined && m !== null && (typeof m !== 'string' || m.length === 0))
    issues.push({
      path: 'metadataJsonPath',
      message: `must be a file path or null (got ${JSON.stringify(m)})`,
    });
  if (o.dtype !== undefined && o.dtype !== 'float32' && o.dtype !== 'float16')
    issues.push({
      path: 'dtype',
      message: `must be 'float32' or 'float16' (got ${JSON.stringify(o.dtype)})`,
    });
  if (o.maxMemoryCache !== undefined && !(typeof o.maxMemoryCache === 'number' && o.maxMemoryCache >= 0))
    issues.push({
      path: 'maxMemoryCache',
      message: `must be a number of MB >= 0 (got ${JSON.stringify(o.maxMemoryCache)})`,
    });
  if (o.numWorkers !== undefined && !(Number.isInteger(o.numWorkers) && o.numWorkers >= 0))
    issues.push({
      path: 'numWorkers',
      message: `must be a whole number >= 0 (got ${JSON.stringify(o.numWorkers)})`,
    });
  if (o.seed !== undefined && !Number.isInteger(o.seed))
    issues.push({ path: 'seed', message: `must be a whole number (got ${JSON.stringify(o.seed)})` });
  if (o.splitBy !== undefined && (typeof o.splitBy !== 'string' || o.splitBy.length === 0))
    issues.push({
      path: 'splitBy',
      message: `must be 'file', 'window' or a metadata key (got ${JSON.stringify(o.splitBy)})`,
    });
  if (o.onError !== undefined && o.onError !== 'throw' && o.onError !== 'skip')
    issues.push({ path: 'onError', message: `must be 'throw' or 'skip' (got ${JSON.stringify(o.onError)})` });
  const e = o.extractor;
  if (e !== undefined && e !== 'wasm' && e !== 'js' && !(typeof e === 'object' && e?.kind === 'extractor'))
    issues.push({
      path: 'extractor',
      message: `must be 'wasm', 'js' or a FeatureExtractor (got ${JSON.stringify(e)})`,
    });
  return issues;
}

/** With an extractor instance, its parameters rule; options that were also given must agree. */
function instanceParamIssues(o: OpenSpectrogramDatasetOptions): ConfigIssue[] {
  if (typeof o.extractor !== 'object' || o.extractor === null) return [];
  const params = o.extractor.params;
  const issues: ConfigIssue[] = [];
  for (const key of ['sampleRate', 'hopLength', 'nMels', 'nFft', 'normalize'] as const) {
    if (o[key] !== undefined && o[key] !== params[key])
      issues.push({
        path: key,
        message: `is ${JSON.stringify(o[key])} but the given extractor ${o.extractor.id} uses ${JSON.stringify(params[key])}; leave it out or make them equal`,
      });
  }
  return issues;
}

/** Every option problem at once: one `SpgConfigError` listing each. */
function resolveOutput(options: OpenSpectrogramDatasetOptions): OutputConfiguration {
  const issues = [...optionIssues(options), ...instanceParamIssues(options)];
  let output: OutputConfiguration | undefined;
  try {
    output = parseOutputConfiguration(options.outputConfiguration ?? {}, 'outputConfiguration');
  } catch (error) {
    if (!SpgConfigError.isInstance(error)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length || !output) throw new SpgConfigError(issues);
  return output;
}

/**
 * Opens a dataset of log-mel spectrogram windows over a folder of audio (SPEC 3), with the Node
 * defaults: filesystem source and cache, the default decoder, the sinc resampler, the wasm extractor
 * (falling back to js) and an index store under `indexRoot`.
 *
 * @example
 * const ds = await openSpectrogramDataset({
 *   audioRoot: 'data/audio', spectrogramsRoot: '.cache/spg', indexRoot: '.cache/index',
 *   metadataJsonPath: 'data/audio/metadata.json', split: [0.8, 0.1, 0.1],
 *   outputConfiguration: { masks: ['speech'], meta: ['gender'], label: 'kind' },
 * });
 * const item = await ds.train().get(0);
 */
export async function openSpectrogramDataset(
  options: OpenSpectrogramDatasetOptions,
): Promise<SpectrogramDataset> {
  const output = resolveOutput(options);
  // An option given as undefined takes its default, as if it were left out.
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const o = { ...openDefaults, ...given } as typeof openDefaults & OpenSpectrogramDatasetOptions;
  const logger = options.logger ?? consoleLogger();
  const extractor =
    typeof o.extractor === 'object'
      ? o.extractor
      : await nodeExtractor(
          o.extractor,
          {
            sampleRate: o.sampleRate,
            nFft: o.nFft,
            hopLength: o.hopLength,
            nMels: o.nMels,
            normalize: o.normalize,
          },
          logger,
        );
  const metadataPath = o.metadataJsonPath;
  const audio = nodeAudioParts(o.audioRoot, o.indexRoot);
  const parts: DatasetParts = {
    ...audio,
    extractor,
    // float16 values are already rounded by the dataset, so '<f2' files lose nothing and halve the disk.
    cache: fsCache({ root: o.spectrogramsRoot, dtype: o.dtype }),
    memory: { maxMemoryCache: o.maxMemoryCache, dtype: o.dtype },
    metadata: metadataPath ? fileMetadata(metadataPath) : null,
    windows: {
      windowSizeSec: o.windowSizeSec,
      windowOffsetSec: o.windowOffsetSec,
      windowContentRatio: o.windowContentRatio,
    },
    output,
    split: { split: [...o.split], seed: o.seed, splitBy: o.splitBy },
    logger,
    onProgress: options.onProgress,
    onError: o.onError,
    numWorkers: o.numWorkers,
  };
  if (parts.numWorkers === 0) return openDataset(parts);
  // Generation on worker threads: each rebuilds the plugins from their JSON options. The pool lives
  // as long as opening does (that is when missing spectrograms are generated).
  const sizes = deriveSizes({ ...parts.windows, sampleRate: o.sampleRate, hopLength: o.hopLength });
  const pool = await generationPoolFor(parts, sizes);
  if (typeof pool === 'string') {
    logger.warn(`numWorkers ${parts.numWorkers}: ${pool}; generating in this thread.`);
    return openDataset(parts);
  }
  try {
    return await openDataset(parts, { generate: (job) => pool.generate(job) });
  } finally {
    await pool.destroy();
  }
}

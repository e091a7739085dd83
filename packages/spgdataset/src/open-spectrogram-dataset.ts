import {
  type ConfigIssue,
  consoleLogger,
  createDataset,
  type DatasetBuilder,
  type FeatureExtractor,
  isPluginReference,
  type MadeByKind,
  openDataset,
  type PluginReference,
  type Registry,
  type Resampler,
  type SpectrogramDataset,
  SpgConfigError,
} from '@spgdataset/core';
import { loadPluginModules } from '@spgdataset/core/node';
import { flatOptionPath, type MadeSlots } from './flat-option-paths';
import { nodeRegistry } from './node-registry';
import { melDefaults, type OpenSpectrogramDatasetOptions } from './open-options';

type Options = OpenSpectrogramDatasetOptions;
const melKeys = ['sampleRate', 'nFft', 'hopLength', 'nMels', 'normalize'] as const;

/** Only the keys given a value: an option given as undefined takes its default, as if left out. */
function given<K extends keyof Options>(o: Options, keys: readonly K[]): Partial<Pick<Options, K>> {
  const out: Partial<Pick<Options, K>> = {};
  for (const key of keys) if (o[key] !== undefined) out[key] = o[key];
  return out;
}

/** `nodeRegistry` (or `options.registry`) plus the definitions exported by `options.plugins`. */
async function registryOf(o: Options): Promise<Registry> {
  const base = o.registry ?? nodeRegistry;
  if (!o.plugins?.length) return base;
  const found = await loadPluginModules(o.plugins, [`file://${process.cwd()}/`, import.meta.url]);
  return base.with(found.filter((d) => !base.has(d.kind, d.id)));
}

/**
 * The WebAssembly plugin, made here so that a machine without WebAssembly falls back to the pure
 * TypeScript one with one warning; invalid options are left for the builder to report with the others.
 */
async function wasmOrFallback<K extends 'extractor' | 'resampler'>(
  kind: K,
  wasm: PluginReference,
  fallback: PluginReference,
  o: Options,
  registry: Registry,
): Promise<MadeByKind<K> | PluginReference> {
  try {
    return await registry.create(kind, wasm);
  } catch (error) {
    if (SpgConfigError.isInstance(error) && !/could not be created/.test(error.message)) return wasm;
    (o.logger ?? consoleLogger()).warn(
      `${wasm.use} could not start (${(error as Error).message}); using the pure TypeScript ${kind} (${fallback.use}).`,
    );
    return fallback;
  }
}

/** The extractor slot: an instance or reference as given, else the log-mel options for dsp-wasm or dsp-js. */
async function extractorSlot(o: Options, registry: Registry): Promise<FeatureExtractor | PluginReference> {
  const choice = o.extractor ?? 'wasm';
  if (typeof choice !== 'string') return choice;
  const options = { ...melDefaults, ...given(o, melKeys) };
  const js = { use: 'dsp-js/log-mel', options };
  if (choice !== 'wasm') return choice === 'js' ? js : (choice as never);
  return wasmOrFallback('extractor', { use: 'dsp-wasm/log-mel', options }, js, o, registry);
}

/** The resampler slot: an instance or reference as given, else dsp-wasm's (default) or core's sinc resampler. */
async function resamplerSlot(o: Options, registry: Registry): Promise<Resampler | PluginReference> {
  const choice = o.resampler ?? 'wasm';
  if (typeof choice !== 'string') return choice;
  const js = { use: 'core/sinc' };
  if (choice !== 'wasm') return choice === 'js' ? js : (choice as never);
  return wasmOrFallback('resampler', { use: 'dsp-wasm/resampler' }, js, o, registry);
}

/** With an extractor instance, its parameters rule; flat mel options that were also given must agree. */
function instanceConflicts(o: Options): ConfigIssue[] {
  const extractor = o.extractor;
  if (typeof extractor !== 'object' || extractor === null || isPluginReference(extractor)) return [];
  const params = (extractor as FeatureExtractor).params as unknown as Record<string, unknown> | undefined;
  return melKeys
    .filter((key) => o[key] !== undefined && params && o[key] !== params[key])
    .map((key) => ({
      path: key,
      message: `is ${JSON.stringify(o[key])} but the given extractor ${extractor.id} uses ${JSON.stringify(params![key])}; leave it out or make them equal`,
    }));
}

/** The builder calls the flat options stand for, on `registry`. */
async function builderOf(
  o: Options,
  registry: Registry,
): Promise<{ builder: DatasetBuilder; made: MadeSlots }> {
  const made: MadeSlots = {
    cache: o.cache === undefined,
    extractor: typeof (o.extractor ?? 'wasm') === 'string',
  };
  let builder = createDataset(registry)
    .source({
      use: 'core/fs',
      options:
        o.changeToken === undefined
          ? { root: o.audioRoot }
          : { root: o.audioRoot, changeToken: o.changeToken },
    })
    .decoder({ use: 'core/audio-decode' })
    .resampler(await resamplerSlot(o, registry))
    .extractor(await extractorSlot(o, registry))
    // float16 values are already rounded by the dataset, so '<f2' files lose nothing and halve the disk.
    .cache(
      o.cache ?? { use: 'cache-fs/npy', options: { root: o.spectrogramsRoot!, dtype: o.dtype ?? 'float32' } },
    )
    .indexStore({ use: 'core/file-index', options: { root: o.indexRoot } })
    .metadata(o.metadataJsonPath ?? null)
    .windows(given(o, ['windowSizeSec', 'windowOffsetSec', 'windowContentRatio']))
    .memory(given(o, ['maxMemoryCache', 'dtype']))
    .output(o.outputConfiguration ?? {})
    .split(given(o, ['split', 'seed', 'splitBy']))
    .onError(o.onError ?? 'throw')
    .numWorkers(o.numWorkers ?? 0);
  if (o.scheduler) builder = builder.scheduler(o.scheduler);
  if (o.logger) builder = builder.logger(o.logger);
  if (o.onProgress) builder = builder.progress(o.onProgress);
  return { builder, made };
}

/** The same error with every path as the flat options name it. */
function renamed(error: SpgConfigError, made: MadeSlots, extra: ConfigIssue[] = []): SpgConfigError {
  // One flat option can feed two slots (dtype: memory and cache): name its problem once.
  const from = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = flatOptionPath(issue.path, made);
    if (from.has(path) && from.get(path) !== issue.path) continue;
    from.set(path, issue.path);
    issues.push({ ...issue, path });
  }
  return new SpgConfigError([...extra, ...issues], error.code);
}

/**
 * Opens a dataset of log-mel spectrogram windows over a folder of audio, with the Node defaults:
 * filesystem source and .npy cache, the default decoder and resampler, the wasm extractor (falling
 * back to js) and an index store under `indexRoot`. A thin adapter: the flat options become
 * `createDataset(nodeRegistry)` calls, validated once by the builder (one `SpgConfigError` listing
 * every problem, named as these options name them), and opened through the same path.
 *
 * @example
 * const ds = await openSpectrogramDataset({
 *   audioRoot: 'data/audio', spectrogramsRoot: '.cache/spg', indexRoot: '.cache/index',
 *   metadataJsonPath: 'data/audio/metadata.json', split: [0.8, 0.1, 0.1],
 *   outputConfiguration: { masks: ['speech'], meta: ['gender'], label: 'kind' },
 * });
 * const item = await ds.train().get(0);
 */
export async function openSpectrogramDataset(options: Options): Promise<SpectrogramDataset> {
  const registry = await registryOf(options);
  const { builder, made } = await builderOf(options, registry);
  const conflicts = instanceConflicts(options);
  const parts = await builder.parts().catch((error: unknown) => {
    throw SpgConfigError.isInstance(error) ? renamed(error, made, conflicts) : error;
  });
  if (conflicts.length) throw new SpgConfigError(conflicts);
  try {
    return await openDataset(parts, { readOnly: options.readOnly, generate: options.generate ?? 'all' });
  } catch (error) {
    throw SpgConfigError.isInstance(error) ? renamed(error, made) : error;
  }
}

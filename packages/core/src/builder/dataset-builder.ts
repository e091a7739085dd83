import * as v from 'valibot';
import { configIssuesFromValibot, describe } from '../config/config-issues';
import {
  type DatasetConfig,
  memoryOptionsSchema,
  numWorkersSchema,
  onErrorSchema,
  splitOptionsSchema,
  windowOptionsSchema,
} from '../config/dataset-config-schema';
import { outputConfigurationSchema } from '../config/output-configuration-schema';
import type {
  DatasetParts,
  MemoryOptions,
  MetadataInput,
  SplitOptions,
  WindowOptions,
} from '../contracts/dataset-parts';
import type { FeatureExtractor } from '../contracts/feature-extractor';
import type { IndexStore } from '../contracts/index-store';
import type { Json } from '../contracts/json';
import { consoleLogger, type Logger } from '../contracts/logger';
import type { OutputConfiguration } from '../contracts/output-configuration';
import type { PluginKind } from '../contracts/plugin';
import type { PluginByKind } from '../contracts/plugin-definition';
import type { ProgressCallback } from '../contracts/progress';
import type { Registry } from '../contracts/registry';
import { openDataset } from '../dataset/open-dataset';
import type { SpectrogramDataset } from '../dataset/spectrogram-dataset';
import { type ConfigIssue, SpgConfigError } from '../errors/spg-config-error';
import { isPluginReference, type PluginReference } from '../registry/plugin-reference';
import { checkExtractorFacts } from './extractor-facts';

type Slot<T> = T | PluginReference;

/** Id of the worker-thread scheduler (`@spgdataset/core/node`) that `numWorkers` selects. */
const THREADS_ID = 'core/worker-threads';

interface BuilderState {
  registry: Registry | undefined;
  source?: Slot<PluginByKind['source']>;
  decoder?: Slot<PluginByKind['decoder']>;
  resampler?: Slot<PluginByKind['resampler']>;
  extractor?: Slot<PluginByKind['extractor']>;
  cache?: Slot<PluginByKind['cache']> | null;
  scheduler?: Slot<PluginByKind['scheduler']> | null;
  indexStore?: Slot<IndexStore> | null;
  metadata?: MetadataInput | string | null;
  memory?: unknown;
  windows?: unknown;
  output?: unknown;
  split?: unknown;
  onError?: unknown;
  numWorkers?: unknown;
  logger?: Logger;
  progress?: ProgressCallback;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Later calls refine earlier ones key by key; anything else replaces (and is judged at build). */
function merge(previous: unknown, next: unknown): unknown {
  return isPlainObject(previous) && isPlainObject(next) ? { ...previous, ...next } : next;
}

const pluginSlots = ['source', 'decoder', 'resampler', 'extractor', 'cache', 'scheduler'] as const;

function withDefaults<T>(schema: v.GenericSchema<unknown, T>, value: unknown): T | unknown {
  const parsed = v.safeParse(schema, value ?? {});
  return parsed.success ? parsed.output : value;
}

/**
 * Immutable builder of a dataset (ARCHITECTURE.md#one-front-door): every call returns a new builder. Plugin slots take an
 * instance or a `{ use, options }` reference (resolved through the registry given to
 * `createDataset(registry)`); data slots take partial options over the seed's defaults. Nothing is
 * checked until `parts()`/`build()`, which report EVERY problem in one `SpgConfigError`.
 */
export class DatasetBuilder {
  readonly #state: BuilderState;

  /** @internal use `createDataset()` */
  constructor(state: BuilderState) {
    this.#state = Object.freeze({ ...state });
    Object.freeze(this);
  }

  #with(patch: Partial<BuilderState>): DatasetBuilder {
    return new DatasetBuilder({ ...this.#state, ...patch });
  }

  /** Where audio files come from (`fsSource(root)`, `fileListSource(files)`, `urlSource(base, paths)`...). */
  source(source: Slot<PluginByKind['source']>): DatasetBuilder {
    return this.#with({ source });
  }
  decoder(decoder: Slot<PluginByKind['decoder']>): DatasetBuilder {
    return this.#with({ decoder });
  }
  resampler(resampler: Slot<PluginByKind['resampler']>): DatasetBuilder {
    return this.#with({ resampler });
  }
  /** The feature extractor; its declared `features` set the sample rate, hop and rows of the window grid. */
  extractor(extractor: Slot<PluginByKind['extractor']>): DatasetBuilder {
    return this.#with({ extractor });
  }
  /** Persistent spectrogram cache (null: none). The memory cache sits in front of it. */
  cache(cache: Slot<PluginByKind['cache']> | null): DatasetBuilder {
    return this.#with({ cache });
  }
  /**
   * Where generation runs: a scheduler instance or reference (e.g. worker threads, a job queue).
   * Default: `numWorkers > 0` uses the registry's `core/worker-threads` when registered, else this thread.
   */
  scheduler(scheduler: Slot<PluginByKind['scheduler']> | null): DatasetBuilder {
    return this.#with({ scheduler });
  }
  /** Memory cache budget in MB and storage dtype (defaults `{ maxMemoryCache: 0, dtype: 'float32' }`). */
  memory(memory: Partial<MemoryOptions>): DatasetBuilder {
    return this.#with({ memory: merge(this.#state.memory, memory) });
  }
  /** metadata.json: a `MetadataInput`, a location the registry's `openMetadata` opens, or null. */
  metadata(metadata: MetadataInput | string | null): DatasetBuilder {
    return this.#with({ metadata });
  }
  /** Window grid (defaults `{ windowSizeSec: 1.92, windowOffsetSec: 0.1, windowContentRatio: 0.5 }`). */
  windows(windows: Partial<WindowOptions>): DatasetBuilder {
    return this.#with({ windows: merge(this.#state.windows, windows) });
  }
  /** What each item carries (defaults `{ audio: false, spectrogram: true, masks: [], meta: [], label: null }`). */
  output(output: Partial<OutputConfiguration>): DatasetBuilder {
    return this.#with({ output: merge(this.#state.output, output) });
  }
  /** Split ratios (`[0.8, 0.1, 0.1]`) or `{ split, seed, splitBy }` (defaults `[1]`, 0, 'file'). */
  split(split: number[] | Partial<SplitOptions>): DatasetBuilder {
    return this.#with({ split: merge(this.#state.split, Array.isArray(split) ? { split } : split) });
  }
  /** Where the index is kept between runs (`fileIndexStore(indexRoot)`); null: rebuilt every time. */
  indexStore(indexStore: Slot<IndexStore> | null): DatasetBuilder {
    return this.#with({ indexStore });
  }
  /** Default: `consoleLogger()` (warnings on the console, info silent). Not part of the JSON config. */
  logger(logger: Logger): DatasetBuilder {
    return this.#with({ logger });
  }
  /** Progress of indexing, generation and preloading. Not part of the JSON config. */
  progress(progress: ProgressCallback): DatasetBuilder {
    return this.#with({ progress });
  }
  /** 'throw' (default) or 'skip' undecodable/invalid files (listed in the dataset's report). */
  onError(onError: 'throw' | 'skip'): DatasetBuilder {
    return this.#with({ onError });
  }
  /** Worker threads for spectrogram generation (default 0: this thread). */
  numWorkers(numWorkers: number): DatasetBuilder {
    return this.#with({ numWorkers });
  }

  /**
   * The configuration as JSON: plugins as `{ use, options }` references (instances by their `id` and
   * `options`), data with defaults filled in. Logger and progress callback are not data and are left
   * out. Throws `SpgConfigError` for slots that cannot be written (an index store without id/options).
   */
  toConfig(): DatasetConfig {
    const s = this.#state;
    const issues: ConfigIssue[] = [];
    const ref = (slot: string, value: unknown): PluginReference | undefined => {
      if (isPluginReference(value))
        return value.options === undefined
          ? { use: value.use }
          : { use: value.use, options: structuredClone(value.options) };
      const plugin = value as { id?: unknown; options?: Json };
      if (typeof plugin?.id === 'string' && plugin.options !== undefined)
        return { use: plugin.id, options: structuredClone(plugin.options) };
      issues.push({
        path: slot,
        message: 'this instance has no id and options, so it cannot be written as JSON',
      });
      return undefined;
    };
    const config: Record<string, unknown> = {};
    for (const slot of pluginSlots) {
      const value = s[slot];
      if (value === null) config[slot] = null;
      else if (value !== undefined) config[slot] = ref(slot, value);
    }
    if (s.indexStore === null) config.indexStore = null;
    else if (s.indexStore !== undefined) config.indexStore = ref('indexStore', s.indexStore);
    config.metadata =
      s.metadata === undefined || s.metadata === null
        ? null
        : typeof s.metadata === 'string'
          ? s.metadata
          : s.metadata.name;
    config.memory = withDefaults(memoryOptionsSchema, s.memory);
    config.windows = withDefaults(windowOptionsSchema, s.windows);
    config.output = withDefaults(outputConfigurationSchema, s.output);
    config.split = withDefaults(splitOptionsSchema, s.split);
    config.onError = s.onError ?? 'throw';
    config.numWorkers = s.numWorkers ?? 0;
    if (issues.length) throw new SpgConfigError(issues);
    return structuredClone(config) as DatasetConfig;
  }

  /**
   * Validates every slot and the facts between plugins, resolves references through the registry
   * and returns what the dataset is assembled from. Throws ONE `SpgConfigError` listing every
   * problem; plugins it created for a failed build are disposed.
   */
  async parts(): Promise<DatasetParts> {
    const s = this.#state;
    const issues: ConfigIssue[] = [];
    const created: { dispose?: () => unknown }[] = [];

    const resolve = async <K extends PluginKind | 'index-store'>(
      kind: K,
      slot: string,
      value: unknown,
      required: boolean,
    ): Promise<unknown> => {
      if (value === undefined || value === null) {
        if (required)
          issues.push({
            path: slot,
            message: `is required: pass a ${kind} instance or a { use, options } reference${s.registry ? ` (registered: ${s.registry.ids(kind).join(', ') || 'none'})` : ''}`,
          });
        return undefined;
      }
      if (isPluginReference(value)) {
        if (!s.registry) {
          issues.push({
            path: slot,
            message: `{ use: "${value.use}" } needs a registry: createDataset(createRegistry([...definitions]))`,
          });
          return undefined;
        }
        try {
          const made = await s.registry.create(kind, value, slot);
          created.push(made as { dispose?: () => unknown });
          return made;
        } catch (error) {
          if (!SpgConfigError.isInstance(error)) throw error;
          issues.push(...error.issues);
          return undefined;
        }
      }
      if (kind === 'index-store') {
        const store = value as Partial<IndexStore>;
        if (typeof store.load !== 'function' || typeof store.save !== 'function') {
          issues.push({
            path: slot,
            message: `must be an IndexStore { load, save } or a reference (got ${describe(value)})`,
          });
          return undefined;
        }
        return value;
      }
      const plugin = value as { kind?: unknown };
      if (typeof value !== 'object' || plugin.kind !== kind) {
        issues.push({
          path: slot,
          message: `must be a ${kind} (kind "${kind}") or a { use, options } reference (got ${typeof value === 'object' ? `kind ${describe(plugin.kind)}` : describe(value)})`,
        });
        return undefined;
      }
      return value;
    };

    const source = (await resolve('source', 'source', s.source, true)) as DatasetParts['source'] | undefined;
    const decoder = (await resolve('decoder', 'decoder', s.decoder, true)) as
      | DatasetParts['decoder']
      | undefined;
    const resampler = (await resolve('resampler', 'resampler', s.resampler, true)) as
      | DatasetParts['resampler']
      | undefined;
    const extractor = (await resolve('extractor', 'extractor', s.extractor, true)) as
      | FeatureExtractor
      | undefined;
    const cache = (await resolve('cache', 'cache', s.cache, false)) as DatasetParts['cache'];
    let scheduler = (await resolve(
      'scheduler',
      'scheduler',
      s.scheduler,
      false,
    )) as DatasetParts['scheduler'];
    const indexStore = (await resolve('index-store', 'indexStore', s.indexStore, false)) as
      | IndexStore
      | undefined;

    const data = <T>(
      slot: string,
      schema: v.GenericSchema<unknown, T>,
      value: unknown,
      fallback?: unknown,
    ) => {
      if (Array.isArray(value) && fallback !== undefined && isPlainObject(fallback)) {
        issues.push({ path: slot, message: `must be an object (got ${describe(value)})` });
        return undefined;
      }
      const parsed = v.safeParse(schema, value ?? fallback);
      if (parsed.success) return parsed.output;
      issues.push(...configIssuesFromValibot(parsed.issues, slot));
      return undefined;
    };
    const memory = data('memory', memoryOptionsSchema, s.memory, {}) as MemoryOptions | undefined;
    const windows = data('windows', windowOptionsSchema, s.windows, {}) as WindowOptions | undefined;
    const output = data('output', outputConfigurationSchema, s.output, {}) as OutputConfiguration | undefined;
    const split = data('split', splitOptionsSchema, s.split, {}) as SplitOptions | undefined;
    const onError = data('onError', onErrorSchema, s.onError, 'throw') as DatasetParts['onError'] | undefined;
    const numWorkers = data('numWorkers', numWorkersSchema, s.numWorkers, 0) as number | undefined;
    // numWorkers alone means worker threads, when this registry can make them (Node registries do).
    if (!scheduler && s.scheduler === undefined && numWorkers && s.registry?.has('scheduler', THREADS_ID))
      scheduler = (await resolve(
        'scheduler',
        'numWorkers',
        { use: THREADS_ID, options: { numWorkers } },
        false,
      )) as DatasetParts['scheduler'] | undefined;

    let metadata: MetadataInput | null = null;
    if (typeof s.metadata === 'string') {
      if (!s.registry?.openMetadata)
        issues.push({
          path: 'metadata',
          message: `"${s.metadata}" is a location; open it with a registry made with { openMetadata } (fileMetadata from @spgdataset/core/node) or pass a MetadataInput`,
        });
      else metadata = s.registry.openMetadata(s.metadata);
    } else if (s.metadata) {
      if (typeof s.metadata.read !== 'function' || typeof s.metadata.name !== 'string')
        issues.push({ path: 'metadata', message: 'must be { name, read() }, a location string or null' });
      else metadata = s.metadata;
    }

    if (extractor) checkExtractorFacts(extractor, windows, issues);

    if (issues.length) {
      await Promise.allSettled(created.map(async (p) => p.dispose?.()));
      throw new SpgConfigError(issues);
    }
    return {
      source: source!,
      decoder: decoder!,
      resampler: resampler!,
      extractor: extractor!,
      cache,
      memory: memory!,
      metadata,
      windows: windows!,
      output: output!,
      split: split!,
      indexStore,
      logger: s.logger ?? consoleLogger(),
      onProgress: s.progress,
      onError: onError!,
      numWorkers: numWorkers!,
      scheduler,
      registry: s.registry,
    };
  }

  /** Validates (see `parts()`) and opens the dataset: index, spectrogram generation, preloading. */
  async build(): Promise<SpectrogramDataset> {
    return openDataset(await this.parts());
  }
}

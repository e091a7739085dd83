import * as v from 'valibot';
import type { Json } from '../contracts/json';
import { outputConfigurationSchema } from './output-configuration-schema';

const tolerance = 1e-9;

const jsonValue: v.GenericSchema<Json> = v.lazy(() =>
  v.union(
    [
      v.null(),
      v.boolean(),
      v.pipe(v.number(), v.finite()),
      v.string(),
      v.array(jsonValue),
      v.record(v.string(), jsonValue),
    ],
    'must be JSON (null, boolean, finite number, string, array or object)',
  ),
);

/** `{ "use": "<registered id>", "options": { ... } }`. */
export const pluginReferenceSchema = v.strictObject(
  {
    use: v.pipe(v.string('must be a registered plugin id (string)'), v.minLength(1, 'must not be empty')),
    options: v.optional(jsonValue),
  },
  (issue) =>
    issue.expected === 'never'
      ? 'is not part of a plugin reference; use { "use": "<id>", "options": { ... } }'
      : 'must be a plugin reference { "use": "<id>", "options": { ... } }',
);

const positiveSeconds = v.pipe(
  v.number('must be a number of seconds'),
  v.finite('must be finite'),
  v.gtValue(0, 'must be > 0'),
);

const strict = (what: string, keys: string) => (issue: v.BaseIssue<unknown>) =>
  issue.expected === 'never' ? `is not a ${what} option; use ${keys}` : `must be an object { ${keys} }`;

/** Window grid and selection (docs/behaviour.md#sizes, #windows); defaults are the seed's. */
export const windowOptionsSchema = v.strictObject(
  {
    windowSizeSec: v.optional(positiveSeconds, 1.92),
    windowOffsetSec: v.optional(positiveSeconds, 0.1),
    windowContentRatio: v.optional(
      v.pipe(
        v.number('must be a number in [0, 1]'),
        v.minValue(0, 'must be in [0, 1]'),
        v.maxValue(1, 'must be in [0, 1]'),
      ),
      0.5,
    ),
  },
  strict('window', 'windowSizeSec, windowOffsetSec, windowContentRatio'),
);

/** Memory cache budget and storage precision (docs/behaviour.md#options, #caches). */
export const memoryOptionsSchema = v.strictObject(
  {
    maxMemoryCache: v.optional(
      v.pipe(v.number('must be a number of MB'), v.finite('must be finite'), v.minValue(0, 'must be >= 0')),
      0,
    ),
    dtype: v.optional(v.picklist(['float32', 'float16'], 'must be "float32" or "float16"'), 'float32'),
  },
  strict('memory', 'maxMemoryCache, dtype'),
);

function tidy(x: number): number {
  return Number.parseFloat(x.toPrecision(6));
}

/** Split ratios (summing to 1), seed and grouping (docs/behaviour.md#splits). */
export const splitOptionsSchema = v.strictObject(
  {
    split: v.optional(
      v.pipe(
        v.array(
          v.pipe(
            v.number('must be a ratio (number)'),
            v.minValue(0, 'must be in [0, 1]'),
            v.maxValue(1, 'must be in [0, 1]'),
          ),
          'must be a list of ratios, e.g. [0.8, 0.1, 0.1]',
        ),
        v.minLength(1, 'must list at least one ratio, e.g. [1]'),
        v.rawCheck(({ dataset, addIssue }) => {
          if (!dataset.typed) return;
          const sum = dataset.value.reduce((a, b) => a + b, 0);
          if (Math.abs(sum - 1) > tolerance) {
            const scaled = sum > 0 ? dataset.value.map((r) => tidy(r / sum)) : [1];
            addIssue({
              message: `ratios must sum to 1 (sum ${tidy(sum)}); e.g. ${JSON.stringify(scaled)}`,
            });
          }
        }),
      ),
      () => [1],
    ),
    seed: v.optional(v.pipe(v.number('must be a whole number'), v.integer('must be a whole number')), 0),
    splitBy: v.optional(
      v.pipe(
        v.string('must be "file", "window" or a metadata key'),
        v.minLength(1, 'must be "file", "window" or a metadata key'),
      ),
      'file',
    ),
  },
  strict('split', 'split, seed, splitBy'),
);

export const onErrorSchema = v.picklist(['throw', 'skip'], 'must be "throw" or "skip"');

export const numWorkersSchema = v.pipe(
  v.number('must be a whole number >= 0'),
  v.integer('must be a whole number >= 0'),
  v.minValue(0, 'must be a whole number >= 0'),
);

/**
 * The JSON config format of `createDataset.fromConfig` / `builder.toConfig()`: plugin slots are
 * references resolved through a registry; everything else is plain data with the seed's defaults.
 */
export const datasetConfigSchema = v.strictObject(
  {
    source: v.optional(pluginReferenceSchema),
    decoder: v.optional(pluginReferenceSchema),
    resampler: v.optional(pluginReferenceSchema),
    extractor: v.optional(pluginReferenceSchema),
    cache: v.optional(v.nullable(pluginReferenceSchema)),
    scheduler: v.optional(v.nullable(pluginReferenceSchema)),
    indexStore: v.optional(v.nullable(pluginReferenceSchema)),
    metadata: v.optional(v.nullable(v.string('must be the location of metadata.json (string) or null'))),
    memory: v.optional(memoryOptionsSchema),
    windows: v.optional(windowOptionsSchema),
    output: v.optional(outputConfigurationSchema),
    split: v.optional(splitOptionsSchema),
    onError: v.optional(onErrorSchema),
    numWorkers: v.optional(numWorkersSchema),
  },
  (issue) =>
    issue.expected === 'never'
      ? 'is not a dataset config key; use source, decoder, resampler, extractor, cache, scheduler, indexStore, metadata, memory, windows, output, split, onError, numWorkers'
      : 'a dataset config must be a JSON object',
);

/** A dataset configuration as JSON (`toConfig()` writes every key, with defaults filled in). */
export type DatasetConfig = v.InferInput<typeof datasetConfigSchema>;

/** The defaults the data slots fill in (taken from the schemas above, which apply them). */
export function datasetDataDefaults() {
  return {
    windows: v.parse(windowOptionsSchema, {}),
    memory: v.parse(memoryOptionsSchema, {}),
    split: v.parse(splitOptionsSchema, {}),
    output: v.parse(outputConfigurationSchema, {}),
  };
}

import type { PluginDefinition } from '@spgdataset/core';
import * as v from 'valibot';
import { FS_CACHE_ID, type FsCacheOptions, fsCache } from './fs-cache';

/** JSON options of `fsCache`, for configs and registries. */
export const fsCacheOptionsSchema = v.strictObject({
  root: v.pipe(
    v.string('is required: the folder of the spectrogram cache (string)'),
    v.minLength(1, 'is required: the folder of the spectrogram cache (a non-empty path)'),
  ),
  dtype: v.optional(v.picklist(['float32', 'float16'], "must be 'float32' or 'float16'")),
  fsync: v.optional(v.boolean()),
});

/** Registry definition: `{ "use": "cache-fs/npy", "options": { "root": "spectrograms" } }`. */
export const fsCacheDefinition: PluginDefinition<'cache', FsCacheOptions> = {
  kind: 'cache',
  id: FS_CACHE_ID,
  module: '@spgdataset/cache-fs',
  schema: fsCacheOptionsSchema,
  create: (options) => fsCache(options),
};

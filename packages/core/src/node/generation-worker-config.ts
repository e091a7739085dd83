import type { Json } from '../contracts/json';

/**
 * How a worker thread recreates one plugin: import `module`, take its export `export` (a
 * `PluginDefinition`), validate `options` with its schema and call `create`. Configs cross threads;
 * instances do not. `module` is an absolute `file:` URL or path: resolve it where the dependency
 * is declared, e.g. `import.meta.resolve('@spgdataset/dsp-wasm')` in the package that uses it.
 */
export interface WorkerPluginReference {
  module: string;
  export: string;
  options: Json;
}

/** Everything a worker needs to run `generateSpectrogram`: plugin references and the window grid. */
export interface GenerationWorkerConfig {
  source: WorkerPluginReference;
  decoder: WorkerPluginReference;
  resampler: WorkerPluginReference;
  extractor: WorkerPluginReference;
  sampleRate: number;
  windowSize: number;
  windowOffset: number;
  dtype: 'float32' | 'float16';
}

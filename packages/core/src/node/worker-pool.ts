import type { Tensor } from '../contracts/tensor';
import type { GenerationJob } from '../dataset/spectrogram-generator';
import { spgErrorFromJSON } from '../errors/error-json';
import { SpgConfigError } from '../errors/spg-config-error';
import type { SpgErrorJson } from '../errors/spg-error';
import type { GenerationFailure, GenerationTask } from './generation-worker';
import type { GenerationWorkerConfig } from './generation-worker-config';

export interface GenerationPoolOptions {
  /** Worker threads (>= 1). */
  numWorkers: number;
  /** The worker module (default: `generation-worker.js` beside this file in the built package). */
  workerFile?: string | URL;
}

/** Spectrogram generation on worker threads; `generate` is a drop-in for `generateSpectrogram`. */
export interface GenerationPool {
  readonly numWorkers: number;
  /** Decode + resample + extract `job.path` on a worker; rejects with the worker's SpgError. */
  generate(job: GenerationJob, signal?: AbortSignal): Promise<Tensor>;
  /** Stops the workers (pending tasks reject). */
  destroy(): Promise<void>;
}

function defaultWorkerFile(): URL {
  try {
    return new URL('./generation-worker.js', import.meta.url);
  } catch (cause) {
    throw new SpgConfigError([
      {
        path: 'workerFile',
        message: `cannot locate generation-worker.js from this build (${(cause as Error).message}); pass workerFile: the path of dist/generation-worker.js in @spgdataset/core`,
      },
    ]);
  }
}

/**
 * A tinypool of `numWorkers` threads that each rebuild the plugins from `config` once and run
 * `generateSpectrogram`. Results come back by transferring the tensor's buffer, not copying it.
 * Cancelling through `signal` rejects the call with an AbortError; nothing is written anywhere by the
 * worker (the caller writes caches), so an aborted job leaves no partial cache entry.
 */
export async function createGenerationPool(
  config: GenerationWorkerConfig,
  options: GenerationPoolOptions,
): Promise<GenerationPool> {
  const { numWorkers } = options;
  if (!Number.isInteger(numWorkers) || numWorkers < 1) {
    throw new SpgConfigError([
      { path: 'numWorkers', message: `got ${numWorkers}; use an integer >= 1 (0 means no pool)` },
    ]);
  }
  // Loaded lazily: tinypool is ESM-only and Node-only, and a pool is optional.
  const { default: Tinypool } = await import('tinypool');
  const workerFile = options.workerFile ?? defaultWorkerFile();
  const pool = new Tinypool({
    filename: workerFile instanceof URL ? workerFile.href : workerFile,
    minThreads: numWorkers,
    maxThreads: numWorkers,
    // Each worker keeps its decoder, resampler and extractor (e.g. a compiled WASM module) warm.
    isolateWorkers: false,
  });
  return {
    numWorkers,
    async generate(job, signal) {
      const task: GenerationTask = { config, job };
      const result = (await pool.run(task, signal ? { signal } : {})) as Tensor | GenerationFailure;
      if ('error' in result) {
        const { error } = result;
        if ('code' in error) throw spgErrorFromJSON(error as SpgErrorJson);
        const rethrown = new Error(`${error.message} (in a generation worker, file ${job.path})`);
        rethrown.name = error.name;
        throw rethrown;
      }
      return result;
    },
    destroy: () => pool.destroy(),
  };
}

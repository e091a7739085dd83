import { type FeatureExtractor, type Logger, type MelOptions, SpgConfigError } from '@spgdataset/core';
import { jsMelExtractor } from '@spgdataset/dsp-js';

/**
 * The extractor for `openSpectrogramDataset`: 'wasm' (dsp-wasm, SIMD) falls back to 'js' (dsp-js) with
 * one warning when WebAssembly or dsp.wasm is unavailable. Both compute the same log-mel (SPEC 7) and
 * share the mel parameters, but differ in id, so their caches are kept apart.
 */
export async function nodeExtractor(
  choice: 'wasm' | 'js',
  mel: MelOptions,
  logger: Logger,
): Promise<FeatureExtractor> {
  if (choice === 'js') return jsMelExtractor(mel);
  let wasm: typeof import('@spgdataset/dsp-wasm');
  try {
    wasm = await import('@spgdataset/dsp-wasm');
  } catch (error) {
    logger.warn(
      `dsp-wasm is unavailable (${(error as Error).message}); using the pure TypeScript extractor (dsp-js).`,
    );
    return jsMelExtractor(mel);
  }
  try {
    return await wasm.wasmMelExtractor(mel);
  } catch (error) {
    // Invalid parameters are the user's to fix, whatever the extractor.
    if (SpgConfigError.isInstance(error)) throw error;
    logger.warn(
      `dsp-wasm could not start (${(error as Error).message}); using the pure TypeScript extractor (dsp-js).`,
    );
    return jsMelExtractor(mel);
  }
}

import type { ResamplerStream } from '../contracts/resampler';
import { SpgError } from '../errors/spg-error';

/**
 * The `stream()` of a resampler whose rates match: each chunk comes back as a copy; `push()` or
 * `end()` after `end()` throw SpgError `SPG_RESAMPLER_STREAM_ENDED` naming `resamplerId`.
 */
export function passThroughStream(resamplerId: string): ResamplerStream {
  let ended = false;
  const checkOpen = (method: string) => {
    if (ended) {
      throw new SpgError(
        'SPG_RESAMPLER_STREAM_ENDED',
        `${resamplerId}: ${method}() after end(); start a new stream() for the next signal`,
        { resamplerId },
      );
    }
  };
  return {
    push(chunk) {
      checkOpen('push');
      return chunk.slice();
    },
    end() {
      checkOpen('end');
      ended = true;
      return new Float32Array(0);
    },
  };
}

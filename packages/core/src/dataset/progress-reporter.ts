import type { ProgressCallback, ProgressPhase } from '../contracts/progress';

const now = () => globalThis.performance?.now() ?? Date.now();

/** A `(done, total, path?)` reporter for one phase, adding rate and ETA; a no-op without a callback. */
export function progressReporter(onProgress: ProgressCallback | undefined, phase: ProgressPhase) {
  const started = now();
  return (done: number, total: number | undefined, path?: string) => {
    if (!onProgress) return;
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : undefined;
    onProgress({
      phase,
      done,
      total,
      rate,
      etaSeconds: total !== undefined && rate ? (total - done) / rate : undefined,
      path,
    });
  };
}

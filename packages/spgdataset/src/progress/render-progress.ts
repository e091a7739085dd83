import type { ProgressCallback, ProgressEvent, ProgressPhase } from '@spgdataset/core';
import cliProgress from 'cli-progress';
import { formatProgress, formatProgressCounts } from './format-progress';

/** Where progress goes: a writable stream such as `process.stderr`. */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface RenderProgressOptions {
  /** Without a TTY, at most one line per phase this often, plus each phase's last (default 5). */
  intervalSeconds?: number;
  /** Draw bars even if the stream is no TTY (default: `stream.isTTY`). */
  tty?: boolean;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
}

/** An `onProgress` callback that draws; call `stop()` when the work ends early to finish the lines. */
export type ProgressRenderer = ProgressCallback & { stop(): void };

const isFinished = (e: ProgressEvent) => e.total !== undefined && e.done >= e.total;

/** Plain lines: a phase's first event, then at most one per interval, and its last. */
function plainRenderer(stream: ProgressStream, intervalMs: number, now: () => number): ProgressRenderer {
  const lastLine = new Map<ProgressPhase, number>();
  const pending = new Map<ProgressPhase, ProgressEvent>();
  const print = (event: ProgressEvent) => {
    stream.write(`${formatProgress(event)}\n`);
    lastLine.set(event.phase, now());
    pending.delete(event.phase);
  };
  const render = (event: ProgressEvent) => {
    const last = lastLine.get(event.phase);
    if (last === undefined || isFinished(event) || now() - last >= intervalMs) print(event);
    else pending.set(event.phase, event);
  };
  // `stop` prints what an interval held back, so logs always end with the final count.
  return Object.assign(render, { stop: () => [...pending.values()].forEach(print) });
}

/** One cli-progress bar per phase, finished when its phase completes or the next phase starts. */
function barRenderer(stream: ProgressStream): ProgressRenderer {
  let current: { phase: ProgressPhase; bar: cliProgress.SingleBar } | undefined;
  const finish = () => {
    current?.bar.stop();
    current = undefined;
  };
  const render = (event: ProgressEvent) => {
    if (current?.phase !== event.phase) {
      finish();
      const bar = new cliProgress.SingleBar(
        {
          stream: stream as NodeJS.WritableStream,
          format: `${event.phase.padEnd(8)} [{bar}] {counts}`,
          hideCursor: false,
          barsize: 30,
          emptyOnZero: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(1, 0, { counts: '' });
      current = { phase: event.phase, bar };
    }
    // An unknown total draws an empty bar; the text still counts.
    current.bar.setTotal(event.total ?? 1);
    current.bar.update(event.total === undefined ? 0 : event.done, { counts: formatProgressCounts(event) });
    if (isFinished(event)) finish();
  };
  return Object.assign(render, { stop: finish });
}

/**
 * Renders `ProgressEvent`s (indexing, generation, preload) on `stream`: cli-progress bars on a
 * TTY, otherwise plain lines at most every `intervalSeconds` per phase (CI logs stay short).
 *
 * ```ts
 * const onProgress = renderProgress(process.stderr);
 * const ds = await openSpectrogramDataset({ ...options, onProgress });
 * ```
 */
export function renderProgress(
  stream: ProgressStream = process.stderr,
  options: RenderProgressOptions = {},
): ProgressRenderer {
  const tty = options.tty ?? stream.isTTY === true;
  if (tty) return barRenderer(stream);
  return plainRenderer(stream, (options.intervalSeconds ?? 5) * 1000, options.now ?? Date.now);
}

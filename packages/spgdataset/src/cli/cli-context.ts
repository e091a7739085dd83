import type { Logger, ProgressCallback, ProgressEvent, ProgressPhase } from '@spgdataset/core';
import { renderProgress } from '../progress/render-progress';
import type { InspectableDataset } from './inspectable-dataset';

/** Where the CLI writes: process.stdout / process.stderr, or strings in tests. */
export interface TextStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Opens a dataset from openSpectrogramDataset options (the real one, or a stand-in in tests). */
export type OpenDataset = (options: Record<string, unknown>) => Promise<InspectableDataset>;

/** Where a command writes and what it opens datasets with. */
export interface CliContext {
  stdout: TextStream;
  stderr: TextStream;
  cwd: string;
  open: OpenDataset;
  /** Milliseconds, for the wall time of `build`. */
  now: () => number;
  /**
   * Registers what to print when the user presses Ctrl-C (SIGINT); the context then exits with
   * 130. Returns the function that unregisters it. Absent: Ctrl-C keeps its default behaviour.
   */
  onInterrupt?: (handler: () => void) => () => void;
}

/** Warnings to stderr; info stays quiet. */
export function stderrLogger(stderr: TextStream): Logger {
  return { info: () => {}, warn: (message) => void stderr.write(`warning: ${message}\n`) };
}

/** The progress display of a command: an `onProgress` callback that also keeps each phase's latest event. */
export type CommandProgress = ProgressCallback & {
  /** Ends the display (prints what it held back); harmless to call twice. */
  finish(): void;
  /** The latest event of each phase so far (e.g. for what an interrupted build says). */
  readonly latest: Partial<Record<ProgressPhase, ProgressEvent>>;
};

/** Progress on stderr (stdout keeps only the summary or table): bars on a TTY, plain lines otherwise. */
export function progressRenderer(stderr: TextStream): CommandProgress {
  const render = renderProgress(stderr);
  const latest: Partial<Record<ProgressPhase, ProgressEvent>> = {};
  const onProgress = (event: ProgressEvent) => {
    latest[event.phase] = event;
    render(event);
  };
  return Object.assign(onProgress, { finish: () => render.stop(), latest });
}

/**
 * Opens a dataset for a command with `progress` as its onProgress and `logger` (default: warnings
 * on stderr). If opening fails, the progress display is finished before the error goes on; once
 * open, the caller finishes it (a command may go on reporting progress, as `export` does).
 */
export async function openWithProgress(
  ctx: CliContext,
  options: Record<string, unknown>,
  progress: CommandProgress,
  logger: Logger = stderrLogger(ctx.stderr),
): Promise<InspectableDataset> {
  try {
    return await ctx.open({ ...options, onProgress: progress, logger });
  } catch (error) {
    progress.finish();
    throw error;
  }
}

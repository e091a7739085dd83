import type { Logger, ProgressCallback } from '@spgdataset/core';
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

/** Progress on stderr (stdout keeps only the summary or table): bars on a TTY, plain lines otherwise. */
export function progressRenderer(stderr: TextStream): ProgressCallback & { finish(): void } {
  const render = renderProgress(stderr);
  return Object.assign((event: Parameters<ProgressCallback>[0]) => render(event), {
    finish: () => render.stop(),
  });
}

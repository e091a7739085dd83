import type { Logger, ProgressCallback } from '@spgdataset/core';
import type { InspectableDataset } from './inspectable-dataset';
import { plainProgress, type TextStream } from './plain-progress';

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
}

/** Warnings to stderr; info stays quiet. */
export function stderrLogger(stderr: TextStream): Logger {
  return { info: () => {}, warn: (message) => void stderr.write(`warning: ${message}\n`) };
}

/** Progress on stderr (stdout keeps only the summary or table). */
export function progressRenderer(stderr: TextStream): ProgressCallback & { finish(): void } {
  return plainProgress(stderr);
}

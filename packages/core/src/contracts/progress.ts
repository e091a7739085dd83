/** The phases of long work that report progress. */
export type ProgressPhase = 'index' | 'generate' | 'preload' | 'export';

/** One progress report. `total` may be unknown (undefined) while scanning. */
export interface ProgressEvent {
  phase: ProgressPhase;
  done: number;
  total: number | undefined;
  /** Bytes processed so far, when the phase counts bytes. */
  bytes?: number;
  /** Units (files or bytes, per phase) per second since the phase started. */
  rate?: number;
  /** Estimated seconds left. */
  etaSeconds?: number;
  /** The file just finished, when there is one. */
  path?: string;
}

export type ProgressCallback = (event: ProgressEvent) => void;

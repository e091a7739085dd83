import type { Logger } from '../contracts/logger';

/** Passes each distinct warning to the logger once and remembers it for the dataset's report. */
export class WarnOnce {
  readonly #seen = new Set<string>();

  constructor(readonly logger: Logger) {}

  warn = (message: string): void => {
    if (this.#seen.has(message)) return;
    this.#seen.add(message);
    this.logger.warn(message);
  };

  /** Every warning given so far, in order. */
  list(): string[] {
    return [...this.#seen];
  }
}

/** Injectable logger. The default warns on the console and stays silent for info unless verbose. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * A logger factory that is also a logger (its default configuration), so both
 * `logger: consoleLogger` and `logger: consoleLogger({ verbose: true })` work, and likewise
 * `logger: silentLogger` and `logger: silentLogger()`.
 */
export type LoggerFactory<Options> = ((options?: Options) => Logger) & Logger;

function makeConsoleLogger(options: { verbose?: boolean } = {}): Logger {
  return {
    info: (message) => {
      if (options.verbose) console.info(`[spgdataset] ${message}`);
    },
    warn: (message) => console.warn(`[spgdataset] ${message}`),
  };
}

/** Warnings on the console, info only with `verbose`. Call it for options, or pass it as is. */
export const consoleLogger: LoggerFactory<{ verbose?: boolean }> = Object.assign(
  (options?: { verbose?: boolean }) => makeConsoleLogger(options),
  makeConsoleLogger(),
);

const silent: Logger = { info: () => {}, warn: () => {} };

/** Says nothing. Pass it as is or call it: `logger: silentLogger` and `logger: silentLogger()` agree. */
export const silentLogger: LoggerFactory<undefined> = Object.assign(() => silent, silent);

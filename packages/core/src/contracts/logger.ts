/** Injectable logger. The default warns on the console and stays silent for info unless verbose. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export function consoleLogger(options: { verbose?: boolean } = {}): Logger {
  return {
    info: (message) => {
      if (options.verbose) console.info(`[spgdataset] ${message}`);
    },
    warn: (message) => console.warn(`[spgdataset] ${message}`),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {} };

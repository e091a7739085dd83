import { afterEach, expect, it, vi } from 'vitest';
import { consoleLogger, type Logger, silentLogger } from '../src/index';

afterEach(() => vi.restoreAllMocks());

function consoleCalls(use: (logger: Logger) => void, logger: Logger) {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const info = vi.spyOn(console, 'info').mockImplementation(() => {});
  use(logger);
  return { warn: warn.mock.calls.map((c) => c[0]), info: info.mock.calls.map((c) => c[0]) };
}

const speak = (logger: Logger) => {
  logger.info('an info');
  logger.warn('a warning');
};

it('silentLogger works called and uncalled, and says nothing either way', () => {
  for (const logger of [silentLogger, silentLogger()]) {
    expect(consoleCalls(speak, logger)).toEqual({ warn: [], info: [] });
  }
});

it('consoleLogger works called and uncalled: warnings on the console, info only when verbose', () => {
  for (const logger of [consoleLogger, consoleLogger(), consoleLogger({})]) {
    expect(consoleCalls(speak, logger)).toEqual({ warn: ['[spgdataset] a warning'], info: [] });
  }
  expect(consoleCalls(speak, consoleLogger({ verbose: true }))).toEqual({
    warn: ['[spgdataset] a warning'],
    info: ['[spgdataset] an info'],
  });
});

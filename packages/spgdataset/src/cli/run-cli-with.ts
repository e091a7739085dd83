import { SpgError } from '@spgdataset/core';
import { CommanderError } from 'commander';
import type { CliContext } from './cli-context';
import { CliUsageError } from './cli-usage-error';
import { createProgram } from './create-program';

/** 0 ok, 1 a user error (bad flag, bad path, bad data or options), 2 an internal error. */
export type ExitCode = 0 | 1 | 2;

/**
 * Runs `spgdataset <argv...>` against `ctx` and returns the exit code. User errors print one line
 * naming the problem; anything else prints its stack as an internal error.
 */
export async function runCliWith(argv: readonly string[], ctx: CliContext): Promise<ExitCode> {
  try {
    await createProgram(ctx).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has already printed its message (unknown flag, bad value, help...).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof CliUsageError || SpgError.isInstance(error)) {
      ctx.stderr.write(`spgdataset: ${(error as Error).message}\n`);
      return 1;
    }
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    ctx.stderr.write(`spgdataset: internal error (please report it):\n${text}\n`);
    return 2;
  }
}

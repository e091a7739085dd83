/** A mistake in the command line or its config file: reported without a stack trace, exit code 1. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

import { InvalidArgumentError } from 'commander';

// Commander argument parsers. A throw here becomes "option '--n-mels <n>' argument 'x' is invalid.
// <reason>", which names the flag, and exit code 1.

function number(text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new InvalidArgumentError('Expected a number.');
  return value;
}

export function wholeNumber(min: number): (text: string) => number {
  return (text) => {
    const value = number(text);
    if (!Number.isInteger(value) || value < min)
      throw new InvalidArgumentError(`Expected a whole number >= ${min}.`);
    return value;
  };
}

export function anyWholeNumber(text: string): number {
  const value = number(text);
  if (!Number.isInteger(value)) throw new InvalidArgumentError('Expected a whole number.');
  return value;
}

export function positiveNumber(text: string): number {
  const value = number(text);
  if (!(value > 0)) throw new InvalidArgumentError('Expected a number > 0.');
  return value;
}

export function nonNegativeNumber(text: string): number {
  const value = number(text);
  if (!(value >= 0)) throw new InvalidArgumentError('Expected a number >= 0.');
  return value;
}

export function ratio(text: string): number {
  const value = number(text);
  if (!(value >= 0 && value <= 1)) throw new InvalidArgumentError('Expected a number in [0, 1].');
  return value;
}

/** "0.8,0.1,0.1" -> [0.8, 0.1, 0.1]; each part a number >= 0. */
export function numberList(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const values = parts.map((p) => (p === '' ? Number.NaN : Number(p)));
  if (values.some((v) => !(Number.isFinite(v) && v >= 0)))
    throw new InvalidArgumentError('Expected comma-separated numbers >= 0, e.g. 0.8,0.1,0.1.');
  return values;
}

/** "a, b" -> ["a", "b"]; empty names are dropped. */
export function nameList(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

const modes: Record<string, number> = {
  train: 0,
  '0': 0,
  validate: 1,
  valid: 1,
  eval: 1,
  '1': 1,
  test: 2,
  '2': 2,
};

/** train | validate (valid, eval) | test, or 0 | 1 | 2. */
export function modeArgument(text: string): number {
  const mode = modes[text.trim().toLowerCase()];
  if (mode === undefined) throw new InvalidArgumentError('Expected train, validate or test (or 0, 1, 2).');
  return mode;
}

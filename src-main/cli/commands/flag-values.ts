/**
 * Reading a command's flag values: numbers that must be positive and values that must be one
 * of a choice list (the list comes from where the setting is declared, never from here).
 */
import { UnfoldError } from '../../domain/errors';

export function positiveFlag(
  value: string | undefined,
  flag: string,
  integer = true,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || (integer && !Number.isInteger(n)))
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `${flag} must be a positive ${integer ? 'integer' : 'number'} (got ${value}).`,
    );
  return n;
}

/** A number from 0 (included) to 1 (excluded), as a decay or a rate. */
export function fractionFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n >= 0 && n < 1))
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `${flag} must be a number from 0 up to (not including) 1 (got ${value}).`,
    );
  return n;
}

export function choiceFlag<T extends string>(
  value: string | undefined,
  flag: string,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value))
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `${flag} must be one of ${choices.join(', ')} (got ${value}).`,
    );
  return value as T;
}

/**
 * The Train form's augmentation factors (speed perturbation, frequency warp) are typed as a
 * comma-separated list ("0.9, 1.1"; empty for none). This reads such a list into the numbers the
 * config gets and what is wrong with it, with the domain's rules mirrored from AugmentationSchema
 * (src-main/domain/experiments/config/speech-config.ts): every factor from 0.5 to 2. A factor of
 * 1 is the original audio, which training always has: the domain skips it, so the form drops it
 * too.
 */

export const MIN_FACTOR = 0.5;
export const MAX_FACTOR = 2;

export interface FactorList {
  /** What the config gets: the usable factors in the order typed, each once, without 1. */
  factors: number[];
  /** Entries that are not numbers, as typed. */
  notNumbers: string[];
  /** Numbers outside MIN_FACTOR..MAX_FACTOR. */
  outOfRange: number[];
  /** Numbers typed more than once (each listed once). */
  duplicates: number[];
  /** Whether 1 was typed (it is dropped). */
  hasIdentity: boolean;
}

/** Reads "0.9, 1.1" (commas and/or spaces between entries) into factors and problems. */
export function parseFactorList(text: string): FactorList {
  const list: FactorList = {
    factors: [],
    notNumbers: [],
    outOfRange: [],
    duplicates: [],
    hasIdentity: false,
  };
  const seen = new Set<number>();
  for (const entry of text.split(/[\s,]+/).filter((e) => e !== '')) {
    const value = Number(entry);
    if (!Number.isFinite(value)) {
      list.notNumbers.push(entry);
      continue;
    }
    if (seen.has(value)) {
      if (!list.duplicates.includes(value)) list.duplicates.push(value);
      continue;
    }
    seen.add(value);
    if (value < MIN_FACTOR || value > MAX_FACTOR) list.outOfRange.push(value);
    else if (value === 1) list.hasIdentity = true;
    else list.factors.push(value);
  }
  return list;
}

/** The form's text for a config's factor array ('' for none or anything that is not one). */
export function formatFactorList(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value.filter((v): v is number => typeof v === 'number').join(', ');
}

/** What is wrong with a list, for the field's message: an error, a warning (1 typed), or none. */
export function factorListIssue(
  list: FactorList,
): { message: string; severity: 'error' | 'warning' } | null {
  const quoted = (values: readonly (string | number)[]): string =>
    values.map((v) => `"${v}"`).join(', ');
  const is = (values: readonly unknown[]): string => (values.length > 1 ? 'are' : 'is');
  if (list.notNumbers.length > 0)
    return {
      severity: 'error',
      message: `Not a number: ${quoted(list.notNumbers)}. Separate factors with commas, e.g. 0.9, 1.1.`,
    };
  if (list.outOfRange.length > 0)
    return {
      severity: 'error',
      message: `Factors must be from ${MIN_FACTOR} to ${MAX_FACTOR}: ${quoted(list.outOfRange)} ${is(list.outOfRange)} not.`,
    };
  if (list.duplicates.length > 0)
    return {
      severity: 'error',
      message: `${quoted(list.duplicates)} ${is(list.duplicates)} listed twice: each factor once.`,
    };
  if (list.hasIdentity)
    return {
      severity: 'warning',
      message: '1 is the original audio, which training always has: it is ignored.',
    };
  return null;
}

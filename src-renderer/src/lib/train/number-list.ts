/** A list of numbers as a form's text field shows it: "3, 4, 5". */
export function formatNumberList(numbers: readonly number[]): string {
  return numbers.join(', ');
}

/**
 * The numbers typed in a text field: split at commas or spaces; null when a part is not a
 * number (the schema then says what the numbers must be).
 */
export function parseNumberList(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  const numbers = parts.map(Number);
  return numbers.every((n) => Number.isFinite(n)) ? numbers : null;
}

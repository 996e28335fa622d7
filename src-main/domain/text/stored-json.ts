import type { z } from 'zod';
import { UnfoldError } from '../errors';

/**
 * Validates a stored JSON value (already parsed) against its schema; the error names the file
 * and the field, so a damaged experiment folder can be found.
 */
export function parseStoredJson<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  file: string,
  what: string,
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `"${issue.path.join('.')}": ` : '';
  throw new UnfoldError(
    'TEXT_VOCABULARY_FILE',
    `${file}: not a valid ${what}: ${where}${issue?.message ?? 'unexpected content'}`,
    { file },
  );
}

import { ApiError } from '@api/errors';

export interface ErrorText {
  code: string | null;
  message: string;
}

/** What to show for a failed call: the API's code and message, or any error's message. */
export function errorText(error: unknown): ErrorText {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: null, message: error.message };
  return { code: null, message: String(error) };
}

/**
 * Every failure a user can act on carries a stable code and a message that says what to do.
 * Errors cross IPC and the WebSocket as `{ code, message }` data and are rebuilt on the other side.
 */
export class UnfoldError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'UnfoldError';
    this.code = code;
    this.details = details;
  }
}

export interface ErrorData {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Turns anything thrown (including the strings some libraries throw) into plain error data. */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof UnfoldError) {
    return error.details
      ? { code: error.code, message: error.message, details: error.details }
      : { code: error.code, message: error.message };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') return { code: 'INTERNAL', message: error.message };
    // Node's system errors start their message with the code ("ENOENT: no such file..."): it is
    // shown beside the message already, so it is not repeated.
    const message = error.message.startsWith(`${code}: `)
      ? error.message.slice(code.length + 2)
      : error.message;
    return { code, message };
  }
  return { code: 'INTERNAL', message: String(error) };
}

export function isAbortError(error: unknown): boolean {
  return (
    (error instanceof Error && error.name === 'AbortError') ||
    (error instanceof UnfoldError && error.code === 'CANCELLED')
  );
}

/** Throws the standard cancellation error when the signal has fired; call it between steps. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new UnfoldError('CANCELLED', 'The operation was cancelled.');
}

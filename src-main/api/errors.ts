/** Error data as it crosses a transport, and the Error the client rebuilds from it. */
export interface ApiErrorData {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(data: ApiErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.code = data.code;
    this.details = data.details;
  }
}
